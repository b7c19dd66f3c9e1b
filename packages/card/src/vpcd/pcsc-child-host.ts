/**
 * The child side of `pcsc-in-child.ts`: pcsclite and the PcscReaders live in this process, so a native
 * call blocked here never stops the test's own thread, where the virtual cards answer pcscd. Test support.
 */
import { PcscContext, type PcscReader } from '../transport/pcsc-reader';
import type { HostReply, HostRequest } from './pcsc-in-child';

if (!process.send) throw new Error('pcsc-child-host runs as a child process with an IPC channel');
const send = (reply: HostReply): void => {
  process.send?.(reply);
};
// The test process went away: nothing is left to serve.
process.on('disconnect', () => process.exit(0));

const readers = new Map<string, PcscReader>();
const posted = new Map<string, boolean>();
let context: PcscContext | undefined;

/** Tells the test's thread every change of what `isCardPresent()` says (events, tears, the tear grace). */
function postPresence(): void {
  for (const [name, reader] of readers) {
    const present = reader.isCardPresent();
    if (posted.get(name) === present) continue;
    posted.set(name, present);
    send({ type: 'presence', name, present } satisfies HostReply);
  }
}
const presenceTimer = setInterval(postPresence, 20);

async function run(request: HostRequest): Promise<string | null> {
  switch (request.op) {
    case 'open':
      context ??= await PcscContext.open({ pollMs: 100 });
      if (!readers.has(request.name)) {
        const reader = await context.waitForReader(request.name, 10_000);
        readers.set(request.name, reader);
        reader.on('present', postPresence);
        reader.on('absent', postPresence);
      }
      return null;
    case 'connect':
      return Buffer.from(await reader(request.name).connect()).toString('hex');
    case 'transmit':
      return Buffer.from(await reader(request.name).transmit(Buffer.from(request.hex, 'hex'))).toString(
        'hex',
      );
    case 'disconnect':
      await reader(request.name).disconnect();
      return null;
    case 'close':
      clearInterval(presenceTimer);
      context?.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

function reader(name: string): PcscReader {
  const found = readers.get(name);
  if (!found) throw new Error(`reader ${name} not opened`);
  return found;
}

process.on('message', async (request: HostRequest) => {
  let reply: HostReply;
  try {
    reply = { type: 'reply', id: request.id, ok: true, value: await run(request) };
  } catch (error) {
    const e = error as Error;
    reply = { type: 'reply', id: request.id, ok: false, name: e.name, message: e.message };
  }
  postPresence(); // before the reply, so the caller sees the presence the operation left behind
  send(reply);
});

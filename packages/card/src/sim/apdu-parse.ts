/** Parsing of a C-APDU on the card side (simulators): header, data and Le of a short APDU. */
export interface ParsedCommand {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** undefined = no Le; 0 = 256. */
  le: number | undefined;
}

/** Returns null when the command is not a well-formed short APDU (the card then answers 6700). */
export function parseCommand(c: Uint8Array): ParsedCommand | null {
  if (c.length < 4) return null;
  const head = { cla: c[0]!, ins: c[1]!, p1: c[2]!, p2: c[3]! };
  if (c.length === 4) return { ...head, data: new Uint8Array(0), le: undefined };
  if (c.length === 5) return { ...head, data: new Uint8Array(0), le: c[4]! };
  const lc = c[4]!;
  if (lc === 0) return null;
  if (c.length === 5 + lc) return { ...head, data: c.slice(5, 5 + lc), le: undefined };
  if (c.length === 6 + lc) return { ...head, data: c.slice(5, 5 + lc), le: c[5 + lc]! };
  return null;
}

export function sw(code: number, data?: Uint8Array): Uint8Array {
  const len = data?.length ?? 0;
  const out = new Uint8Array(len + 2);
  if (data) out.set(data);
  out[len] = code >> 8;
  out[len + 1] = code & 0xff;
  return out;
}

export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

import type { TerminalPsamState } from '@tollpad/station-api';
import type { PsamCentreAnswer, PsamStatePort } from '../ports/centre-psam-state';
import { NO_PSAM, type TerminalRow } from '../repositories/config.repository';
import type { ConfigService } from './config.service';

/** [P] How long 系统配置 waits for the centre before showing its PSAMs as unreachable. */
export const PSAM_STATE_TIMEOUT_MS = 3_000;

/**
 * The authorisation state at the centre of each PSAM bound to a handheld, asked live (the centre keeps it;
 * the station does not copy it). One deadline bounds the whole answer: a centre that does not answer makes
 * every PSAM `unreachable`, never a screen that hangs.
 */
export class PsamStateService {
  constructor(
    private readonly config: ConfigService,
    /** The centre's port; none when the station runs without CENTRE_URL. */
    private readonly port: PsamStatePort | undefined,
    private readonly timeoutMs: number = PSAM_STATE_TIMEOUT_MS,
  ) {}

  async states(): Promise<TerminalPsamState[]> {
    const bound = (await this.config.listTerminals()).filter((t) => t.psam_terminal_no !== NO_PSAM);
    const port = this.port;
    if (!port) return bound.map((t) => view(t, { state: 'not-configured', reason: 'CENTRE_URL not set' }));
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const late = new Promise<PsamCentreAnswer>((resolve) => {
      const give = () => resolve({ state: 'unreachable', reason: `no answer within ${this.timeoutMs} ms` });
      if (deadline.aborted) give();
      else deadline.addEventListener('abort', give, { once: true });
    });
    return Promise.all(
      bound.map(async (t) => {
        const asked = port(t.psam_terminal_no, deadline).catch(
          (e: unknown): PsamCentreAnswer => ({
            state: 'unreachable',
            reason: e instanceof Error ? e.message : 'centre unreachable',
          }),
        );
        return view(t, await Promise.race([asked, late]));
      }),
    );
  }
}

function view(t: TerminalRow, a: PsamCentreAnswer): TerminalPsamState {
  const base = { terminalId: t.id, psamTerminalNo: t.psam_terminal_no };
  return 'reason' in a
    ? { ...base, state: a.state, psamNo: null, laneId: null, at: null, reason: a.reason }
    : { ...base, state: a.state, psamNo: a.psamNo, laneId: a.laneId, at: a.at, reason: null };
}

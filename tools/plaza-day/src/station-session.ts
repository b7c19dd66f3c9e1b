import type { LoginResult } from '@tollpad/station-api';
import { type CallOptions, callJson, type RetryStats } from './station-client';

type Json = Record<string, unknown>;

/** A handheld's session at the station: logged in on its terminal, then calls with its bearer token. */
export class StationSession {
  private token = '';

  constructor(
    readonly stationUrl: string,
    private readonly stats: RetryStats,
  ) {}

  async login(username: string, password: string, terminalId: string): Promise<void> {
    const r = await this.call<LoginResult>('POST', '/auth/login', {
      body: { username, password, terminalId },
    });
    if (!r.token) throw new Error('the station gave the plaza-day handheld no bearer token');
    this.token = r.token;
  }

  /** One call; `T` names the contract's answer (the plaza day trusts the station it drives to answer with it). */
  async call<T = Json>(method: string, path: string, o: CallOptions = {}): Promise<T> {
    return (await callJson<T>(this.stationUrl, method, path, { token: this.token, ...o }, this.stats)).value;
  }
}

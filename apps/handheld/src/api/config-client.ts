import type {
  Account,
  Lane,
  LaneEnabledOutcome,
  NewAccountRequest,
  Plaza,
  Role,
  SyncStatus,
  Terminal,
  TerminalPsamState,
  TerminalRegistration,
  VersionsInForce,
} from '@tollpad/station-api';
import { HandheldError } from '../errors';
import type { StationClient } from './station-client';

const enc = encodeURIComponent;

/** 系统配置's calls to the station: lanes, terminals and PSAMs, accounts, versions and the centre sync. */
export class ConfigClient {
  constructor(private readonly station: StationClient) {}

  plazas(): Promise<Plaza[]> {
    return this.station.request('GET', '/config/plazas');
  }

  lanes(): Promise<Lane[]> {
    return this.station.request('GET', '/config/lanes');
  }

  /** 启用/停用出口车道; the answer names the transactions still open on the lane. */
  setLaneEnabled(id: string, enabled: boolean): Promise<LaneEnabledOutcome> {
    return this.station.request('PUT', `/config/lanes/${enc(id)}/handheld`, { enabled });
  }

  terminals(): Promise<Terminal[]> {
    return this.station.request('GET', '/config/terminals');
  }

  /** Each bound PSAM's authorisation at the centre, asked now (the station bounds the wait). */
  psamStates(): Promise<TerminalPsamState[]> {
    return this.station.request('GET', '/config/terminals/psam-states');
  }

  putTerminal(id: string, t: TerminalRegistration): Promise<Terminal> {
    return this.station.request('PUT', `/config/terminals/${enc(id)}`, t);
  }

  bindPsam(id: string, psamTerminalNo: string): Promise<Terminal> {
    return this.station.request('PUT', `/config/terminals/${enc(id)}/psam`, { psamTerminalNo });
  }

  unbindPsam(id: string): Promise<Terminal> {
    return this.station.request('DELETE', `/config/terminals/${enc(id)}/psam`);
  }

  accounts(): Promise<Account[]> {
    return this.station.request('GET', '/accounts');
  }

  createAccount(a: NewAccountRequest): Promise<Account> {
    return this.station.request('POST', '/accounts', a);
  }

  setDisabled(id: string, disabled: boolean): Promise<unknown> {
    return this.station.request('PUT', `/accounts/${enc(id)}/disabled`, { disabled });
  }

  unlock(id: string): Promise<unknown> {
    return this.station.request('POST', `/accounts/${enc(id)}/unlock`);
  }

  setRole(id: string, role: Role): Promise<Account> {
    return this.station.request('PUT', `/accounts/${enc(id)}/role`, { role });
  }

  resetPassword(id: string, password: string): Promise<unknown> {
    return this.station.request('POST', `/accounts/${enc(id)}/password`, { password });
  }

  versions(): Promise<VersionsInForce> {
    return this.station.request('GET', '/config/versions');
  }

  /** The centre sync; null when the station runs without a centre (the route is not there). */
  async syncStatus(): Promise<SyncStatus | null> {
    try {
      return await this.station.request<SyncStatus>('GET', '/sync/status');
    } catch (e) {
      if (e instanceof HandheldError && e.code === 'STN_ERR_REQ_NOT_FOUND') return null;
      throw e;
    }
  }

  syncNow(): Promise<SyncStatus> {
    return this.station.request('POST', '/sync/run');
  }
}

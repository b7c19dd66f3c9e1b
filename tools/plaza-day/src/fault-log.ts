/** What was injected and how the system came back, by fault type (the report's recovery table). */
export const FAULT_KINDS = [
  'tear',
  'swap',
  'handheld-restart',
  'station-kill',
  'centre-outage',
  'slow-link',
  'mqtt-loss',
  // Payment faults of a mixed day (payment-faults.ts).
  'pay-lost-answer',
  'password-wait',
  'platform-outage',
  'platform-slow',
  'station-kill-in-payment',
  'handheld-restart-in-payment',
  // CPC faults (cpc-faults.ts).
  'cpc-tear',
  'cpc-unreadable',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FAULT_LABELS: Record<FaultKind, string> = {
  tear: 'card torn at a random step',
  swap: 'card swapped during recovery',
  'handheld-restart': 'handheld restart mid-debit',
  'station-kill': 'station SIGKILL + restart',
  'centre-outage': 'centre outage (link down)',
  'slow-link': 'slow station→centre link',
  'mqtt-loss': 'lost MQTT link (lane controller down)',
  'pay-lost-answer': 'payment answer lost after capture',
  'password-wait': 'password wait (paid or abandoned)',
  'platform-outage': 'payment platform outage (503)',
  'platform-slow': 'payment platform slow answer',
  'station-kill-in-payment': 'station SIGKILL during a payment',
  'handheld-restart-in-payment': 'handheld restart during a payment',
  'cpc-tear': 'CPC torn during the exit write',
  'cpc-unreadable': 'CPC unreadable (damaged)',
};

export interface FaultWindow {
  kind: FaultKind;
  /** Seconds since the start of the day. */
  from: number;
  to: number;
}

export class FaultLog {
  readonly injected = new Map<FaultKind, number>();
  /** `kind` → how it recovered → count. */
  readonly recovered = new Map<FaultKind, Map<string, number>>();
  readonly windows: FaultWindow[] = [];

  inject(kind: FaultKind): void {
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
  }

  recover(kind: FaultKind, how: string, n = 1): void {
    const m = this.recovered.get(kind) ?? new Map<string, number>();
    m.set(how, (m.get(how) ?? 0) + n);
    this.recovered.set(kind, m);
  }

  window(kind: FaultKind, from: number, to: number): void {
    this.windows.push({ kind, from, to });
  }

  count(kind: FaultKind): number {
    return this.injected.get(kind) ?? 0;
  }

  recoveredTotal(kind: FaultKind): number {
    let n = 0;
    for (const v of this.recovered.get(kind)?.values() ?? []) n += v;
    return n;
  }
}

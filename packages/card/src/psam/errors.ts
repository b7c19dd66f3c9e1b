/** PSAM-side failures the collector or the monitor must see. */
export class PsamAuthorisationError extends Error {
  readonly code = 'PSAM_NOT_AUTHORISED';
  readonly messageZh = 'PSAM卡授权失败，请联系监控';
  constructor(message: string) {
    super(message);
    this.name = 'PsamAuthorisationError';
  }
}

/** The PSAM refused the card's MAC2: the debit may be genuine but cannot be trusted — escalate. */
export class Mac2VerificationError extends Error {
  readonly code = 'MAC2_INVALID';
  readonly messageZh = 'MAC2校验失败，请联系监控';
  constructor(readonly sw: number) {
    super(`PSAM rejected MAC2 (SW ${sw.toString(16).toUpperCase().padStart(4, '0')})`);
    this.name = 'Mac2VerificationError';
  }
}

import { CardError } from '../errors';

/** PSAM-side failures the collector or the monitor must see. */
export class PsamAuthorisationError extends CardError {
  constructor(message: string) {
    super('PSAM_NOT_AUTHORISED', { message });
    this.name = 'PsamAuthorisationError';
  }
}

/** The PSAM refused the card's MAC2: the debit may be genuine but cannot be trusted — escalate. */
export class Mac2VerificationError extends CardError {
  constructor(readonly sw: number) {
    super('MAC2_INVALID', {
      message: `PSAM rejected MAC2 (SW ${sw.toString(16).toUpperCase().padStart(4, '0')})`,
    });
    this.name = 'Mac2VerificationError';
  }
}

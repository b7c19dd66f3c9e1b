import { CardError } from '../../errors';
import { bytesToHex } from '../hex';

/** A 9000 response whose data has the wrong shape: the card (or something pretending) is not what we expect. */
export class ApduResponseError extends CardError {
  constructor(
    readonly command: string,
    readonly expected: string,
    readonly data: string,
  ) {
    super('RESPONSE_FORMAT', {
      message: `${command}: expected ${expected}, got ${data.length / 2} B (${data})`,
    });
    this.name = 'ApduResponseError';
  }
}

export function requireLength(command: string, data: Uint8Array, length: number): void {
  if (data.length !== length) throw new ApduResponseError(command, `${length} B`, bytesToHex(data));
}

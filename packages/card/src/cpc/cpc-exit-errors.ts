/** CPC exit failures, each with a catalogue code and the Chinese message the collector sees. */
import { bytesToHex } from '../apdu/hex';
import { CardError } from '../errors';
import type { CpcFiles } from './codec/cpc-files';

/** EF02 byte 0 announces more than 22 provinces: EF04 is not read (cpc-card.md §2.6); the other files are kept. */
export class CpcProvincesAbnormalError extends CardError {
  constructor(
    readonly count: number,
    /** What was read, feeBlocks empty: the station may still show and record the card (special 35). */
    readonly files: CpcFiles,
  ) {
    super('CPC_PROVINCES_ABNORMAL', { params: { count } });
    this.name = 'CpcProvincesAbnormalError';
  }
}

export class CpcNotReadError extends CardError {
  constructor() {
    super('CPC_NOT_READ');
    this.name = 'CpcNotReadError';
  }
}

/** The read-back of DF01/EF01 bytes 23–24 after a 9000 UPDATE did not show the exit flags. */
export class CpcWriteNotConfirmedError extends CardError {
  constructor(found: Uint8Array, expected: Uint8Array) {
    super('CPC_WRITE_NOT_CONFIRMED', {
      params: { found: bytesToHex(found), expected: bytesToHex(expected) },
    });
    this.name = 'CpcWriteNotConfirmedError';
  }
}

import type { ArrearsEntry } from '@tollpad/domain';
import type { ArrearsPaybackRequest } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { ExitMedium, ExitTypes } from '../exit-parts';

/**
 * read_json of a payback (补缴, issue #22 item 4): what the collector asked for and what the centre's book said
 * of those entries when the payback was opened (the amounts and why, the receipt's lines).
 */
export interface ArrearsExitRead {
  input: ArrearsPaybackRequest;
  card: {
    /** plate_colour of the entries. */
    vehicleId: string;
    entries: ArrearsEntry[];
    /** Σ oweFee of `entries`: the payback's one amount. */
    total: number;
    /** The payback's own ID (its exit transaction's): the key of its one payment. */
    paybackId: string;
  };
}

/**
 * The `arrears` medium: no card is read — the payback is opened from the centre's open entries of a plate
 * (ArrearsPaybackService), already priced at their sum, so 【读卡】, the photo and the tariff never see it. Its
 * one payment is held per payback (onePaymentPerPass, keyed by the payback ID) and per entry (the cell's
 * claims, arrears-exit.ts); its record is the payback record, not an exit record.
 */
export function arrearsMedium<T extends ExitTypes & { read: ArrearsExitRead }>(): ExitMedium<T> {
  const notAnExit = (what: string) =>
    new StationError('STN_ERR_INTERNAL', `a payback has no ${what} (opened by POST /arrears-paybacks)`);
  return {
    id: 'arrears',
    onePaymentPerPass: true,
    open() {
      throw notAnExit('【读卡】');
    },
    plateSpecials: () => [],
    feeFacts() {
      throw notAnExit('fee decision');
    },
    passId: (read) => `ARREARS-${read.card.paybackId}`,
    recordFields() {
      throw notAnExit('exit record');
    },
  };
}

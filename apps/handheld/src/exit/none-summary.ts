import type { NoCardRead } from '@tollpad/station-api';
import { L } from '../i18n';

/**
 * What 【无卡登记】 said, kept in the exit's draft in place of a card's summary: the reason, a damaged CPC's label
 * ID ('' when none), and the entry the driver stated or refused.
 */
export interface NoneSummary {
  kind: 'none';
  reason: NoCardRead['reason'];
  /** A damaged CPC's label ID (upper-case), '' otherwise: the journal's and the pending banner's number. */
  cpcId: string;
  statedEntry: string | null;
  refused: boolean;
}

export function noneSummary(body: NoCardRead): NoneSummary {
  return {
    kind: 'none',
    reason: body.reason,
    cpcId: body.cpcId?.toUpperCase() ?? '',
    statedEntry: body.statedEntry ?? null,
    refused: body.refused === true,
  };
}

export const REASON_LABEL: Record<NoCardRead['reason'], string> = {
  'no-card': L('无卡', 'No card'),
  lost: L('丢卡', 'Lost CPC'),
  damaged: L('坏卡', 'Damaged CPC'),
};

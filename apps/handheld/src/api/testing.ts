import type { ExitTransaction } from '@tollpad/station-api';
import { TEST_EXIT_READ } from '@tollpad/station-api/testing';

/** A priced transaction waiting for the monitor, as the station's ExitSchema answers it (TEST data). */
export const PRICED = {
  ...TEST_EXIT_READ,
  state: 'priced',
  checks: {
    specials: [{ code: 14, description: '卡状态名单' }],
    imageSpecials: [{ code: 52, description: '入出口车牌不一致' }],
    listHits: [{ list: 'card', type: 1, version: 'V', reason: '卡挂失 (TEST)' }],
    suggested: { vehicleClass: 1, vehicleKind: 0 },
    actions: ['请联系班长'],
    blocked: false,
    needsRelease: true,
  },
  image: { plate: '鲁A33338', plateColour: 0, photoSha256: 'a'.repeat(64) },
  fee: {
    vehicleClass: 1,
    vehicleKind: 0,
    fee: 12_955,
    payFee: 13_637,
    discountFee: 682,
    exitFeeType: 2,
    specials: [{ code: 30, description: '卡累计金额小于最小费额' }],
    etcPayable: true,
    payable: true,
    payment: 'etc-debit',
    notPayableReason: null,
    decision: {},
  },
  authorisation: {
    status: 'required',
    reasons: [{ code: 'LIST_RELEASE', text: '需班长授权' }],
    by: null,
    reason: null,
    at: null,
  },
} satisfies ExitTransaction;

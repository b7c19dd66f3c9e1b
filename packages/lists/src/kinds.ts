/**
 * List kinds and their type codes (business-rules §4). Vehicle-list type codes other than the chase
 * list's 1 are [P]: the sources name the lists but not their codes.
 *
 * The green-channel ban (绿通禁止: 多次混装 / 多次假冒绿通, cpc-card.md §8 cmd 19) is its own kind beside the
 * appointment list `vehicle-green` [P]: the index holds one type per key, and a plate may hold an
 * appointment and a ban at once (the lookup answers both, the handheld shows both); withdrawing an
 * appointment must not lift a ban, nor the other way round.
 */
export type ListKind =
  | 'card'
  | 'obu'
  | 'vehicle-chase'
  | 'vehicle-green'
  | 'vehicle-emergency'
  | 'vehicle-green-ban';

export const LIST_KINDS: readonly ListKind[] = [
  'card',
  'obu',
  'vehicle-chase',
  'vehicle-green',
  'vehicle-emergency',
  'vehicle-green-ban',
];

/** One byte in the binary file header. */
export const LIST_KIND_CODE: Readonly<Record<ListKind, number>> = {
  card: 1,
  obu: 2,
  'vehicle-chase': 3,
  'vehicle-green': 4,
  'vehicle-emergency': 5,
  'vehicle-green-ban': 6,
};

export const LIST_TYPES: Readonly<Record<ListKind, ReadonlyMap<number, string>>> = {
  card: new Map([
    [1, '卡挂失'],
    [2, '无卡挂起'],
    [3, '无卡注销'],
    [4, '账户透支'],
    [5, '合作机构黑名单'],
    [6, '车型不符'],
    [7, '储值卡余额不足'],
  ]),
  obu: new Map([
    [1, '标签挂失'],
    [2, '无签挂起'],
    [3, '无签注销'],
    [4, '车型不符'],
    [101, '核销'],
    [102, '挂起'],
    [103, '未关联扣款渠道'],
    [104, '账户透支'],
    [105, '支付机构限制使用'],
  ]),
  'vehicle-chase': new Map([
    [1, '追缴名单'],
    [2, '预追缴名单'],
  ]),
  'vehicle-green': new Map([[1, '绿通预约']]),
  'vehicle-emergency': new Map([[1, '抢险救灾/应急车辆']]),
  // [P] codes; the two ban reasons are Fujian's cmd 19 answer (cpc-card.md §8).
  'vehicle-green-ban': new Map([
    [1, '多次混装'],
    [2, '多次假冒绿通'],
  ]),
};

export function kindOfCode(code: number): ListKind | undefined {
  return LIST_KINDS.find((k) => LIST_KIND_CODE[k] === code);
}

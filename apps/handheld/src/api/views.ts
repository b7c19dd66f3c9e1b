import { passedCheckGroups } from '@tollpad/domain';
import type {
  Authorisation,
  ExitChecks,
  ExitMediumId,
  ExitState,
  ExitTransaction,
  Linkage,
  StoredRecord,
} from '@tollpad/station-api';

/**
 * The station's answers (typed by @tollpad/station-api) as the screens show them: renamed and combined
 * for display, never re-parsed.
 */

/** One line of the 【读卡】 result (consistency, validity, status lists…), green or red. */
export interface CardCheck {
  name: string;
  ok: boolean;
  /** Special-situation code when the check failed. */
  special?: number | null;
  message?: string;
  /** What the collector should do next. */
  action?: string;
}

/** The fee of 【算费】, in fen. */
export interface Fee {
  /** What will be debited. */
  amount: number;
  fee: number;
  payFee: number;
  discount: number;
  exitFeeType: number;
  specialTypes: number[];
  authReasons: string[];
  etcPayable: boolean;
  /** The medium's payment can take the amount now (ETC: the same as etcPayable). */
  payable: boolean;
  /** The payment this medium's exit takes, as the station names it (e.g. `etc-debit`; a CPC's by its payment step). */
  payment: string;
  notPayableReason: string | null;
  /** The decision's rule trace (rule id and its words), in the order the tariff applied them. */
  trace: TraceLine[];
  /** A no-card exit: the toll and the card cost apart (amount = toll + cardCost) and the rule that set the toll. */
  noCard?: { rule: string; toll: number; cardCost: number };
}

/** The no-card part of the decision the station sends as an open object, when well-formed. */
function noCardOf(decision: Record<string, unknown>): Fee['noCard'] {
  const n = decision.noCard as { rule?: unknown; toll?: unknown; cardCost?: unknown } | undefined;
  if (typeof n !== 'object' || n === null) return undefined;
  const { rule, toll, cardCost } = n;
  return typeof rule === 'string' && typeof toll === 'number' && typeof cardCost === 'number'
    ? { rule, toll, cardCost }
    : undefined;
}

/** One step of the fee decision's trace. */
export interface TraceLine {
  rule: string;
  text: string;
}

/** The trace of the decision the station sends as an open object: only well-formed steps are kept. */
function traceOf(decision: Record<string, unknown>): TraceLine[] {
  const t = decision.trace;
  if (!Array.isArray(t)) return [];
  return t.flatMap((step: unknown) => {
    if (typeof step !== 'object' || step === null) return [];
    const { rule, text } = step as { rule?: unknown; text?: unknown };
    return typeof rule === 'string' && typeof text === 'string' ? [{ rule, text }] : [];
  });
}

export interface ExitTxn {
  id: string;
  state: ExitState;
  medium: ExitMediumId;
  laneId: string;
  cardNo: string;
  checks: CardCheck[];
  /** No ETC debit possible (expired, locked…): take another payment. */
  blocked: boolean;
  actions: string[];
  suggested: ExitChecks['suggested'];
  plate: string | null;
  plateColour: number | null;
  vehicleClass: number | null;
  vehicleKind: number | null;
  fee: Fee | null;
  auth: Pick<Authorisation, 'status' | 'by' | 'reason'>;
  tradeId: string | null;
  /** How the announced payment pays (the station's debit `payment`: cash, qr, etc-card; null for an ETC debit). */
  debitPayment: string | null;
}

const LIST_NAMES: Record<string, string> = { card: '卡片状态', obu: 'OBU状态', vehicle: '车辆状态' };

/** The red checks the station raised, then the check groups that passed (green), the actions on the first red. */
function cardChecks(c: ExitChecks): CardCheck[] {
  const checks: CardCheck[] = [...c.specials, ...c.imageSpecials].map((s) => ({
    name: s.description,
    ok: false,
    special: s.code,
  }));
  for (const hit of c.listHits) {
    checks.push({
      name: `${LIST_NAMES[hit.list] ?? '状态'}名单：${hit.reason}（类型 ${hit.type}）`,
      ok: false,
      special: null,
      action: '请联系班长核实，授权放行或改用其他方式收费',
    });
  }
  const raised = [...c.specials, ...c.imageSpecials].map((s) => s.code);
  for (const name of passedCheckGroups(raised)) checks.push({ name, ok: true });
  if (c.actions.length > 0) {
    const firstBad = checks.find((x) => !x.ok);
    if (firstBad) firstBad.action = c.actions.join('；');
  }
  return checks;
}

export function toExitTxn(t: ExitTransaction): ExitTxn {
  const f = t.fee;
  return {
    id: t.id,
    state: t.state,
    medium: t.medium,
    laneId: t.laneId,
    cardNo: t.cardId,
    checks: cardChecks(t.checks),
    blocked: t.checks.blocked,
    actions: t.checks.actions,
    suggested: t.checks.suggested,
    plate: t.image?.plate ?? null,
    plateColour: t.image?.plateColour ?? null,
    vehicleClass: f?.vehicleClass ?? null,
    vehicleKind: f?.vehicleKind ?? null,
    fee: f
      ? {
          amount: f.fee,
          fee: f.fee,
          payFee: f.payFee,
          discount: f.discountFee,
          exitFeeType: f.exitFeeType,
          specialTypes: f.specials.map((s) => s.code),
          authReasons: t.authorisation.reasons.map((r) => r.text),
          etcPayable: f.etcPayable,
          payable: f.payable,
          payment: f.payment,
          notPayableReason: f.notPayableReason,
          trace: traceOf(f.decision),
          ...(noCardOf(f.decision) ? { noCard: noCardOf(f.decision) } : {}),
        }
      : null,
    auth: { status: t.authorisation.status, by: t.authorisation.by, reason: t.authorisation.reason },
    tradeId: t.tradeId,
    debitPayment: typeof t.debit?.payment === 'string' ? t.debit.payment : null,
  };
}

/** A transaction waiting for the monitor's decision, as the monitor's list shows it. */
export interface PendingAuthorisation {
  txnId: string;
  laneId: string;
  cardNo: string;
  plate: string | null;
  amount: number | null;
  specialTypes: number[];
  reasons: string[];
}

export function toPendingAuthorisation(t: ExitTxn): PendingAuthorisation {
  return {
    txnId: t.id,
    laneId: t.laneId,
    cardNo: t.cardNo,
    plate: t.plate,
    amount: t.fee?.amount ?? null,
    specialTypes: t.fee?.specialTypes ?? [],
    reasons: t.fee?.authReasons ?? [],
  };
}

/** One line of the monitor's recent records. */
export interface ExitRecordSummary {
  tradeId: string;
  laneId: string;
  cardNo: string;
  vehicleId: string;
  exTime: string;
  fee: number;
  payFee: number;
  vehicleClass: number;
  vehicleKind: number;
  specialTypes: string;
}

export function toRecordSummary(r: StoredRecord): ExitRecordSummary {
  return {
    tradeId: r.tradeId,
    laneId: r.laneId,
    cardNo: r.cardId,
    vehicleId: r.vehicleId,
    exTime: r.exTime,
    fee: r.fee,
    payFee: r.record.payFee,
    vehicleClass: r.record.vehicleType,
    vehicleKind: r.record.vehicleClass,
    specialTypes: r.specialTypes.join('|'),
  };
}

/** Live state of a linked lane; UNKNOWN when the lane controller's link is lost. */
export type LinkState = 'UP' | 'UNKNOWN';
export type BarrierState = 'open' | 'closed' | 'unknown';

export interface LaneState {
  laneId: string;
  link: LinkState;
  vehiclePresent: boolean | null;
  barrier: BarrierState;
  /** Plate the lane camera captured, if any. */
  capturedPlate: string | null;
  capturedPlateColour: number | null;
}

/** The station's linkage view: only an online link vouches for the barrier and the vehicle. */
export function toLaneStates(l: Linkage): LaneState[] {
  return l.lanes.map((lane) => {
    const up = lane.link === 'online';
    const barrier = lane.monitorState.toUpperCase();
    return {
      laneId: lane.laneId,
      link: up ? 'UP' : 'UNKNOWN',
      vehiclePresent: up ? lane.vehicle !== null : null,
      barrier: !up
        ? 'unknown'
        : barrier.includes('OPEN') || barrier.includes('UP')
          ? 'open'
          : barrier.includes('CLOS') || barrier.includes('DOWN')
            ? 'closed'
            : 'unknown',
      capturedPlate: lane.vehicle?.plate ?? null,
      capturedPlateColour: lane.vehicle?.plateColour ?? null,
    };
  });
}

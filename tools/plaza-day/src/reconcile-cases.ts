/**
 * The reconciliation of a mixed day's vehicles that cannot simply pay (issue #22), pure: what the handhelds
 * saw, what the station recorded and what the centre holds go in; one line per case comes out.
 */
import type { ReconcileLine } from './reconcile';
import type { PaidRecordFact } from './reconcile-payments';
import type { EvidenceFact, GreenFact, PaybackFact } from './served-vehicle';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Every no-card exit has its evidence: the station serves each no-card record's path, fitted by the centre,
 * holding every gantry the vehicle's trip reported and at least one photo (the exit's own).
 */
export function noCardEvidenceLine(
  records: readonly PaidRecordFact[],
  evidence: readonly EvidenceFact[],
): ReconcileLine {
  const noCard = records.filter((r) => r.medium === 'none');
  const byTrade = new Map(evidence.map((e) => [e.tradeId, e]));
  let unserved = 0;
  let short = 0;
  let stationOnly = 0;
  let noPhoto = 0;
  const errors = new Map<string, number>();
  for (const r of noCard) {
    const e = byTrade.get(r.tradeId);
    if (!e || e.gantries === null) {
      unserved++;
      const why = e?.error ?? 'not asked';
      errors.set(why, (errors.get(why) ?? 0) + 1);
    } else {
      if (e.gantries < e.passages) short++;
      if (e.source !== 'centre') stationOnly++;
      if (e.photos === 0) noPhoto++;
    }
  }
  const served = evidence.filter((e) => e.gantries !== null);
  const why = [...errors.entries()].map(([k, n]) => `${n} × ${k}`).join(', ');
  return {
    id: 'no-card-evidence',
    label: 'every no-card exit has its evidence (its path served by the station)',
    ok: unserved === 0 && short === 0 && stationOnly === 0 && noPhoto === 0,
    detail: `${noCard.length} no-card records: ${noCard.length - unserved} paths served (${sum(served.map((e) => e.gantries ?? 0))} gantries of ${sum(served.map((e) => e.passages))} reported, ${sum(served.map((e) => e.photos))} photos), ${unserved} without a path${why ? ` (${why})` : ''}, ${short} missing a reported gantry, ${stationOnly} not fitted by the centre, ${noPhoto} without a photo`,
  };
}

/**
 * No banned plate left free: every green truck on the day's ban list that the collector judged a pass was
 * refused the pass by the station (the ban in force), and none of them has a free record; each committed one paid.
 */
export function greenBanLine(
  records: readonly PaidRecordFact[],
  handheld: readonly GreenFact[],
): ReconcileLine {
  const banned = handheld.filter((g) => g.banned);
  const byTrade = new Map(records.map((r) => [r.tradeId, r]));
  const passed = banned.filter((g) => g.passed).length;
  const committed = banned.filter((g) => g.tradeId && byTrade.has(g.tradeId));
  const free = committed.filter((g) => {
    const r = byTrade.get(g.tradeId ?? '');
    return r?.greenPass === true || r?.fee === 0;
  }).length;
  return {
    id: 'green-ban-not-free',
    label: 'no banned plate left free (the green-channel ban list)',
    ok: passed === 0 && free === 0,
    detail: `${banned.length} banned green trucks inspected (load judged ${banned.filter((g) => g.result === 'pass').length} pass): ${passed} passed by the station, ${committed.length} exits committed, ${committed.length - free} paid, ${free} free`,
  };
}

/** What the centre holds of one record's green-channel inspection (null: none). */
export interface CentreInspection {
  passed: boolean;
  photos: number;
}

/**
 * Every green-channel pass has its inspection at the centre: each free record (special 128, fee 0) at the
 * station has a passed inspection at the centre, the centre lists no pass without one, and every inspection
 * the handhelds saw pass ended in exactly one free record.
 */
export function greenLine(
  records: readonly PaidRecordFact[],
  handheld: readonly GreenFact[],
  atCentre: ReadonlyMap<string, CentreInspection | null>,
  uninspectedAtCentre: number,
): ReconcileLine {
  const passes = records.filter((r) => r.greenPass);
  const missing = passes.filter((r) => !atCentre.get(r.tradeId)).length;
  const notPassed = passes.filter((r) => atCentre.get(r.tradeId)?.passed === false).length;
  const freeTrades = new Set(passes.map((r) => r.tradeId));
  const passedAtHandheld = handheld.filter((g) => g.passed && g.tradeId);
  const passWithoutFree = passedAtHandheld.filter((g) => !freeTrades.has(g.tradeId ?? '')).length;
  const failed = handheld.filter((g) => !g.passed).length;
  const failedFree = handheld.filter((g) => !g.passed && g.tradeId && freeTrades.has(g.tradeId)).length;
  return {
    id: 'green-pass-inspected',
    label: 'every green-channel pass has its inspection at the centre',
    ok:
      missing === 0 &&
      notPassed === 0 &&
      uninspectedAtCentre === 0 &&
      passWithoutFree === 0 &&
      failedFree === 0,
    detail: `${handheld.length} inspections (${handheld.length - failed} passed, ${failed} failed or mixed); ${passes.length} free records: ${missing} without an inspection at the centre, ${notPassed} whose inspection did not pass; centre lists ${uninspectedAtCentre} uninspected passes; ${passWithoutFree} passes without a free record, ${failedFree} failed inspections exited free`,
  };
}

/**
 * Every arrears payback cleared exactly one arrears entry at the centre (and no entry cleared twice): each
 * payback record names one entry; the entries the centre no longer holds open are exactly the ones the
 * paybacks named; no entry is named by two paybacks; every payback the handhelds committed has its record.
 */
export function arrearsLine(
  added: readonly { entryId: string }[],
  stillOpen: ReadonlySet<string>,
  paybackRecords: readonly PaidRecordFact[],
  handheld: readonly PaybackFact[],
): ReconcileLine {
  const named = new Map<string, number>();
  for (const r of paybackRecords) for (const id of r.entryIds ?? []) named.set(id, (named.get(id) ?? 0) + 1);
  const notOne = paybackRecords.filter((r) => (r.entryIds ?? []).length !== 1).length;
  const twice = [...named.values()].filter((n) => n > 1).length;
  const cleared = added.filter((e) => !stillOpen.has(e.entryId));
  const clearedUnpaid = cleared.filter((e) => !named.has(e.entryId)).length;
  const paidOpen = [...named.keys()].filter((id) => stillOpen.has(id)).length;
  const recorded = new Set(paybackRecords.map((r) => r.tradeId));
  const committed = handheld.filter((p) => p.tradeId);
  const unrecorded = committed.filter((p) => !recorded.has(p.tradeId ?? '')).length;
  const skipped = handheld.filter((p) => p.skipped).length;
  return {
    id: 'arrears-cleared-once',
    label: 'every arrears payback cleared exactly one arrears entry at the centre',
    ok: notOne === 0 && twice === 0 && clearedUnpaid === 0 && paidOpen === 0 && unrecorded === 0,
    detail: `${added.length} entries added, ${paybackRecords.length} payback records (${sum(paybackRecords.map((r) => r.fee))} fen): ${cleared.length} entries cleared at the centre, ${added.length - cleared.length} still open; ${notOne} paybacks naming other than one entry, ${twice} entries named twice, ${clearedUnpaid} cleared without a payback, ${paidOpen} paid but still open; ${committed.length} committed at the handhelds, ${unrecorded} without a record; ${skipped} not taken (the centre not reached at the lookup)`,
  };
}

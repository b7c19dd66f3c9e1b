import type { ExitTxnRow } from '../db/schema';

/** A complete exit_txns row in state `read` for repository tests (TEST data: lane, terminal, card). */
export function testExitTxnRow(id: string, over: Partial<ExitTxnRow> = {}): ExitTxnRow {
  return {
    id,
    state: 'read',
    lane_id: 'L-TEST',
    terminal_id: 'HH-TEST',
    shift_id: 's',
    collector_id: 'c',
    card_no: '99010000000000000001',
    read_json: '{"TEST":true}',
    checks_json: '{}',
    plate: null,
    plate_colour: null,
    photo_sha256: null,
    vehicle_class: null,
    vehicle_kind: null,
    fee_json: null,
    amount: null,
    auth_status: 'none',
    auth_by: null,
    auth_reason: null,
    auth_at: null,
    trade_id: null,
    debit_json: null,
    cancel_reason: null,
    created_at: '2026-11-24T00:00:00.000Z',
    updated_at: '2026-11-24T00:00:00.000Z',
    ...over,
  };
}

import type { ExitTxnRow } from '../db/schema';
import { NOTHING_YET } from '../repositories/exits.repository';

/** A complete exit_txns row in state `read` for repository tests (TEST data: lane, terminal, card). */
export function testExitTxnRow(id: string, over: Partial<ExitTxnRow> = {}): ExitTxnRow {
  return {
    id,
    state: 'read',
    lane_id: 'L-TEST',
    terminal_id: 'HH-TEST',
    shift_id: 's',
    collector_id: 'c',
    medium: 'etc',
    card_no: '99010000000000000001',
    read_json: '{"TEST":true}',
    checks_json: '{}',
    ...NOTHING_YET,
    created_at: '2026-11-24T00:00:00.000Z',
    updated_at: '2026-11-24T00:00:00.000Z',
    ...over,
  };
}

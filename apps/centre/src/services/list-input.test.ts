import {
  buildIndex,
  deltaFromChanges,
  encodeDeltaList,
  encodeFullList,
  type StatusIndex,
} from '@tollpad/lists';
import { describe, expect, it } from 'vitest';
import { checkUpstreamFile, invalidChange } from './list-input';

const TEST_CARD = '99010000000000000042'; // TEST card of the synthetic network 9901

function index(version: string): StatusIndex {
  const built = buildIndex('card', version, [{ key: TEST_CARD, type: 1 }]);
  if (!built.ok) throw new Error(built.error.reason);
  return built.value;
}

function deltaFile(from: StatusIndex, to: string): Uint8Array {
  const d = deltaFromChanges(from, to, [{ key: TEST_CARD, type: 0, action: 'remove' }]);
  if (!d.ok) throw new Error(d.error.reason);
  return encodeDeltaList(d.value);
}

describe('status-list input checks', () => {
  it('names the first submitted change with a bad key or a status type the kind does not have', () => {
    expect(invalidChange('card', [{ key: TEST_CARD, type: 1, action: 'add' }])).toBeNull();
    expect(invalidChange('card', [{ key: TEST_CARD, type: 99, action: 'remove' }])).toBeNull();
    expect(
      invalidChange('card', [
        { key: TEST_CARD, type: 1, action: 'add' },
        { key: TEST_CARD, type: 99, action: 'add' },
      ]),
    ).toBe('changes[1]: type 99');
    expect(invalidChange('card', [{ key: 'not-a-card', type: 1, action: 'add' }])).toBe(
      'changes[0]: key not-a-card',
    );
  });

  it('takes a full version only when it is newer than the one in force', () => {
    const inForce = index('202611231600');
    expect(checkUpstreamFile('card', encodeFullList(index('202611231605')), inForce)).toMatchObject({
      ok: true,
      type: 'full',
    });
    expect(checkUpstreamFile('card', encodeFullList(index('202611231600')), inForce)).toMatchObject({
      ok: false,
      code: 'CTR_ERR_LIST_INVALID',
      ref: 'card:202611231600',
    });
  });

  it('takes a delta only from the version in force to a newer one; a gap is refused as a gap', () => {
    const inForce = index('202611231600');
    expect(checkUpstreamFile('card', deltaFile(inForce, '202611231605'), inForce)).toMatchObject({
      ok: true,
      type: 'delta',
    });
    const other = index('202611231555');
    expect(checkUpstreamFile('card', deltaFile(other, '202611231605'), inForce)).toMatchObject({
      ok: false,
      code: 'CTR_ERR_LIST_VERSION_GAP',
      ref: 'card:202611231605',
    });
    expect(checkUpstreamFile('card', deltaFile(inForce, '202611231605'), undefined)).toMatchObject({
      ok: false,
      code: 'CTR_ERR_LIST_VERSION_GAP',
    });
  });

  it('refuses a file of another kind or one that does not decode', () => {
    expect(checkUpstreamFile('obu', encodeFullList(index('202611231605')), undefined)).toMatchObject({
      ok: false,
      code: 'CTR_ERR_LIST_INVALID',
      detail: 'file kind card',
    });
    expect(checkUpstreamFile('card', new Uint8Array([1, 2, 3]), undefined)).toMatchObject({
      ok: false,
      code: 'CTR_ERR_LIST_INVALID',
      ref: 'card',
    });
  });
});

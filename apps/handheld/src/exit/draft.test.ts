import { describe, expect, it } from 'vitest';
import type { CardSummary } from '../api/types';
import {
  clearDraft,
  type DraftStorage,
  draftAfterRead,
  draftKey,
  EMPTY_DRAFT,
  loadDraft,
  saveDraft,
} from './draft';

class MemoryStorage implements DraftStorage {
  readonly items = new Map<string, string>();
  full = false;
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    if (this.full) throw new DOMException('quota', 'QuotaExceededError');
    this.items.set(k, v);
  }
  removeItem(k: string): void {
    this.items.delete(k);
  }
}

// TEST data: a training card's summary.
const summary: CardSummary = {
  cardKind: 'stored-value',
  cardNo: '99010000000009000001',
  plate: '鲁A12345',
  plateColour: 0,
  vehicleClass: 1,
  userType: 0,
  cardTypeName: '储值卡',
  balance: 50_000,
  entryStation: 'G0022370010030',
  entryTime: '2026-11-23T08:00:00+08:00',
  expiry: '2030-12-31',
};

describe('exit draft storage', () => {
  it('is empty (with the asked transaction) when nothing is stored', () => {
    const s = new MemoryStorage();
    expect(loadDraft(s, 'L1', undefined)).toEqual(EMPTY_DRAFT);
    expect(loadDraft(s, 'L1', 'T1')).toEqual({ ...EMPTY_DRAFT, txnId: 'T1' });
  });

  it('gives back what was saved for the same lane, filling missing fields', () => {
    const s = new MemoryStorage();
    saveDraft(s, 'L1', { ...EMPTY_DRAFT, txnId: 'T1', plate: '鲁A12345', imageSubmitted: true });
    expect(loadDraft(s, 'L1', 'T1')).toMatchObject({ txnId: 'T1', plate: '鲁A12345', imageSubmitted: true });
    expect(loadDraft(s, 'L1', undefined).plate).toBe('鲁A12345');
    expect(loadDraft(s, 'L2', undefined)).toEqual(EMPTY_DRAFT);
    s.setItem(draftKey('L3'), JSON.stringify({ plate: '鲁B67890' }));
    expect(loadDraft(s, 'L3', undefined)).toEqual({ ...EMPTY_DRAFT, plate: '鲁B67890' });
  });

  it('drops a draft of another transaction when a specific one is asked for', () => {
    const s = new MemoryStorage();
    saveDraft(s, 'L1', { ...EMPTY_DRAFT, txnId: 'T1', plate: '鲁A12345' });
    expect(loadDraft(s, 'L1', 'T2')).toEqual({ ...EMPTY_DRAFT, txnId: 'T2' });
  });

  it('treats unreadable storage as no draft and a full one as memory only', () => {
    const s = new MemoryStorage();
    s.setItem(draftKey('L1'), '{not json');
    expect(loadDraft(s, 'L1', 'T1')).toEqual({ ...EMPTY_DRAFT, txnId: 'T1' });
    s.full = true;
    expect(() => saveDraft(s, 'L1', EMPTY_DRAFT)).not.toThrow();
  });

  it('is cleared per lane', () => {
    const s = new MemoryStorage();
    saveDraft(s, 'L1', { ...EMPTY_DRAFT, txnId: 'T1' });
    saveDraft(s, 'L2', { ...EMPTY_DRAFT, txnId: 'T2' });
    clearDraft(s, 'L1');
    expect(s.items.has(draftKey('L1'))).toBe(false);
    expect(s.items.has(draftKey('L2'))).toBe(true);
  });
});

describe('the draft after 【读卡】', () => {
  it("prefills the lane camera's plate first", () => {
    const d = draftAfterRead('T1', summary, {
      lane: { capturedPlate: '鲁C11111', capturedPlateColour: 1 },
      training: { plate: '鲁A12345', colour: 0 },
    });
    expect(d).toMatchObject({ txnId: 'T1', summary, plate: '鲁C11111', colour: 1, imageSubmitted: false });
  });

  it('else the training vehicle, else nothing with the card’s colour', () => {
    const none = { capturedPlate: null, capturedPlateColour: null };
    expect(
      draftAfterRead('T1', summary, { lane: none, training: { plate: '鲁B67890', colour: 1 } }),
    ).toMatchObject({ plate: '鲁B67890', colour: 1 });
    expect(
      draftAfterRead('T1', { ...summary, plateColour: 4 }, { lane: null, training: null }),
    ).toMatchObject({
      plate: '',
      colour: 4,
    });
  });

  it('falls back to colour 0 for a colour code that is not one', () => {
    expect(draftAfterRead('T1', { ...summary, plateColour: 99 }, { lane: null, training: null }).colour).toBe(
      0,
    );
  });

  it('takes the class from the card and the kind from its user type, and starts over', () => {
    const d = draftAfterRead('T1', { ...summary, vehicleClass: 11 }, { lane: null, training: null });
    expect(d.vehicleClass).toBe(11);
    expect(d.vehicleKind).not.toBeNull();
    expect(d.photoSha).toBeNull();
  });
});

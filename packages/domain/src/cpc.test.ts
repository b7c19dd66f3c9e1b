/**
 * The CPC's limits, file lengths and fee block are defined once, here (cpc-card.md §2): the values are the
 * reference's, and no other package's sources hold a hand-written copy (a constant, a length table or a second
 * fee-block interface) that could drift from them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CPC_FEE_BLOCK_LENGTH,
  CPC_FILE_LENGTHS,
  CPC_MAX_PATH_GANTRIES,
  CPC_MAX_PROVINCES,
  CPC_READ_LENGTHS,
} from './cpc';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const THIS_FILE = 'packages/domain/src/cpc.ts';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('the CPC constants (cpc-card.md §2)', () => {
  it('hold the reference values', () => {
    expect(CPC_MAX_PROVINCES).toBe(22);
    expect(CPC_MAX_PATH_GANTRIES).toBe(24);
    expect(CPC_FEE_BLOCK_LENGTH).toBe(23);
    expect(CPC_READ_LENGTHS).toEqual({ sysInfo: 30, baseInfo: 32, entry: 39, pass: 101 });
    for (const [name, n] of Object.entries(CPC_READ_LENGTHS))
      expect(n, name).toBeLessThanOrEqual(CPC_FILE_LENGTHS[name as keyof typeof CPC_READ_LENGTHS]);
    // All 22 blocks fit DF01/EF04; all 24 path gantries (3 B from byte 29) fit the 101 B EF02 read.
    expect(CPC_MAX_PROVINCES * CPC_FEE_BLOCK_LENGTH).toBeLessThanOrEqual(CPC_FILE_LENGTHS.feeBlocks);
    expect(29 + 3 * CPC_MAX_PATH_GANTRIES).toBeLessThanOrEqual(CPC_READ_LENGTHS.pass);
  });

  it('are not copied by hand in card, tariff, station-api, station or handheld', () => {
    const roots = [
      'packages/card/src',
      'packages/tariff/src',
      'packages/station-api/src',
      'apps/station/src',
      'apps/handheld/src',
    ];
    const copies: string[] = [];
    const values = '(?:22|23|24|30|32|39|101|128|512)';
    const patterns = [
      // export const CPC_MAX_BLOCKS = 22;  const CPC_FEE_BLOCK_BYTES = 23;
      new RegExp(`\\bconst\\s+CPC_\\w+\\s*(?::\\s*\\w+)?\\s*=\\s*${values}\\s*;`),
      // { sysInfo: 30, baseInfo: 32, entry: 39, pass: 101 }
      /\bsysInfo:\s*30\s*,\s*baseInfo:\s*32\b/,
      // a second hand-written fee block (the domain's CpcFeeBlock is the one)
      /\binterface\s+CpcFeeBlock\w*\s*(?:extends[^{]*)?\{\s*\S[^}]*\bfitFailed\b/s,
    ];
    for (const root of roots) {
      for (const file of sources(join(ROOT, root))) {
        const rel = relative(ROOT, file);
        if (rel === THIS_FILE) continue;
        const text = readFileSync(file, 'utf8');
        for (const p of patterns) if (p.test(text)) copies.push(`${rel}: ${p.source}`);
      }
    }
    expect(copies).toEqual([]);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstScreenFiles, firstScreenRow } from './bench-payment';

/** A made-up build (TEST): an entry, a chunk it imports statically, a lazy decoder chunk. */
function fakeDist(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hh-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<script type="module" crossorigin src="./assets/index-A.js"></script>\n' +
      '<link rel="modulepreload" crossorigin href="./assets/runtime-R.js">',
  );
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, 'assets', name), body);
  return dir;
}

const DECODER =
  'var x=function(e){if(e===null)throw new S(`Binarizer must be non-null.`)};export{x as startCodeScanner};';

describe('payment bench: the first screen without the camera decoder', () => {
  const dirs: string[] = [];
  const dist = (files: Record<string, string>) => {
    const d = fakeDist(files);
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('a lazily imported decoder is not counted in the first screen: the row passes', () => {
    const d = dist({
      'index-A.js': 'import{a}from"./shared-B.js";const s=()=>import("./code-scanner-C.js");',
      'shared-B.js': 'export const a=1;',
      'runtime-R.js': 'export{};',
      'code-scanner-C.js': DECODER,
    });
    expect(firstScreenFiles(d).sort()).toEqual([
      'assets/index-A.js',
      'assets/runtime-R.js',
      'assets/shared-B.js',
    ]);
    expect(firstScreenRow(d).pass).toBe(true);
  });

  it('the decoder bundled into a chunk the entry imports statically fails the row', () => {
    const d = dist({
      'index-A.js': 'import{a}from"./shared-B.js";',
      'shared-B.js': `export const a=1;${DECODER.replace('export{x as startCodeScanner};', '')}`,
      'runtime-R.js': 'export{};',
      'code-scanner-C.js': DECODER,
    });
    const row = firstScreenRow(d);
    expect(row.pass).toBe(false);
    expect(row.unit).toContain('assets/shared-B.js');
  });

  it('the decoder chunk imported statically by the entry fails the row', () => {
    const d = dist({
      'index-A.js': 'import"./code-scanner-C.js";',
      'runtime-R.js': 'export{};',
      'code-scanner-C.js': DECODER,
    });
    expect(firstScreenRow(d).pass).toBe(false);
  });
});

/**
 * The simulator and the TEST keys stay behind `@tollpad/card/sim`: the main entry does not reach them, and
 * production sources import the subpath only where the test world is the product (training, the reference
 * centre, the plaza-day simulation, `testing/` helpers). Tests and scripts may import it freely.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as main from '../index';
import * as sim from './index';

const CARD_SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(CARD_SRC, '../../..');

/** Production files that may import `@tollpad/card/sim`, each for a reason. */
const ALLOWED: ReadonlyMap<string, string> = new Map([
  ['apps/handheld/src/card/training-cards.ts', 'training mode issues TEST cards'],
  ['apps/handheld/src/card/training-cpcs.ts', 'training mode issues TEST CPCs'],
  ['apps/handheld/src/card/psam.ts', 'training and the demo run a virtual PSAM with TEST keys'],
  ['apps/handheld/src/card/reader-hub.ts', 'the training reader saves its virtual card'],
  ['apps/centre/src/services/tac.ts', 'the reference centre verifies TACs under the TEST keys'],
  ['apps/centre/src/services/psam.service.ts', 'the reference centre authorises TEST PSAMs'],
  ['apps/centre/src/seed-arrears.ts', 'the reference centre seeds TEST arrears for the training plates'],
]);
const ALLOWED_DIRS = ['/testing/', 'tools/plaza-day/'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

function productionSources(): string[] {
  const out: string[] = [];
  for (const group of ['apps', 'packages', 'tools']) {
    for (const entry of readdirSync(join(ROOT, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const src = join(ROOT, group, entry.name, 'src');
      try {
        out.push(...sourceFiles(src));
      } catch {
        // a workspace without src/
      }
    }
  }
  return out.map((p) => relative(ROOT, p).split('\\').join('/'));
}

/** Value imports (not `import type`) of relative modules, resolved to paths under CARD_SRC. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gms)) {
    if (m[1]) continue;
    const target = resolve(dirname(file), m[2]!);
    out.push(target.endsWith('.ts') ? target : `${target}.ts`);
  }
  return out.map((p) => {
    try {
      readFileSync(p);
      return p;
    } catch {
      return join(p.slice(0, -3), 'index.ts');
    }
  });
}

const SIM_MODULES = [
  /\/sim\//,
  /\/fixtures\//,
  /\/obu\/virtual-obu\.ts$/,
  /\/obu\/issue-obu\.ts$/,
  /\/transport\/simulated-reader\.ts$/,
];

describe('@tollpad/card/sim boundary', () => {
  it('the main entry exports no simulator piece and no TEST key', () => {
    expect(Object.keys(sim).length).toBeGreaterThan(20);
    const leaked = Object.keys(sim).filter((name) => name in main);
    expect(leaked).toEqual([]);
  });

  it('no module the main entry or ./node reaches imports a simulator module (type imports aside)', () => {
    const seen = new Set<string>();
    const todo = [join(CARD_SRC, 'index.ts'), join(CARD_SRC, 'node.ts')];
    while (todo.length > 0) {
      const file = todo.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      todo.push(...valueImports(file));
    }
    const reached = [...seen].map((p) => relative(CARD_SRC, p));
    expect(reached.length).toBeGreaterThan(30);
    expect(reached.filter((p) => SIM_MODULES.some((re) => re.test(`/${p}`)))).toEqual([]);
  });

  it('production sources import @tollpad/card/sim only in the allowed places', () => {
    const offenders = productionSources().filter(
      (path) =>
        !path.startsWith('packages/card/') &&
        !ALLOWED.has(path) &&
        !ALLOWED_DIRS.some((d) => `/${path}`.includes(d)) &&
        readFileSync(join(ROOT, path), 'utf8').includes("'@tollpad/card/sim'"),
    );
    expect(offenders).toEqual([]);
  });

  it('every allowed file exists and still needs the subpath', () => {
    for (const path of ALLOWED.keys()) {
      expect(readFileSync(join(ROOT, path), 'utf8'), path).toContain("'@tollpad/card/sim'");
    }
  });
});

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Cli {
  name: string;
  /** A TypeScript entry (run through tsx) or a package bin (.mjs, which starts tsx itself). */
  entry: string;
  /** A line of its usage that --help must print. */
  usage: RegExp;
  /** A command line it does not know, and what its refusal must say. */
  unknown: string;
  refusal: RegExp;
}

/** Every command-line program of the repository: the package bins, the npm scripts' mains and the servers. */
const CLIS: Cli[] = [
  {
    name: 'tollpad-card',
    entry: 'packages/card/src/cli/main.ts',
    usage: /tollpad-card read +\[--reader/,
    unknown: 'frobnicate',
    refusal: /\[BAD_ARGUMENT\] 未知命令：frobnicate/,
  },
  {
    name: 'tollpad-tariff',
    entry: 'packages/tariff/bin/tollpad-tariff.mjs',
    usage: /tollpad-tariff validate FILE/,
    unknown: 'frobnicate',
    refusal: /未知命令：frobnicate/,
  },
  {
    name: 'tollpad',
    entry: 'apps/cli/bin/tollpad.mjs',
    usage: /tollpad id <id>/,
    unknown: 'frobnicate',
    refusal: /未知命令：frobnicate/,
  },
  {
    name: 'npm run trip',
    entry: 'scripts/trip.ts',
    usage: /usage: npm run trip -- <车辆 vehicle>/,
    unknown: '--frobnicate',
    refusal: /未知选项：--frobnicate/,
  },
  {
    name: 'npm start (demo)',
    entry: 'scripts/demo.ts',
    usage: /Usage: npm start/,
    unknown: '--frobnicate',
    refusal: /未知参数：--frobnicate/,
  },
  {
    name: 'npm run plaza-day',
    entry: 'tools/plaza-day/src/main.ts',
    usage: /npm run plaza-day -- \[options\]/,
    unknown: '--frobnicate',
    refusal: /未知选项--frobnicate/,
  },
  {
    name: 'npm run bench',
    entry: 'scripts/bench.ts',
    usage: /Usage: npm run bench/,
    unknown: '--frobnicate',
    refusal: /未知参数：--frobnicate/,
  },
  {
    name: 'station server',
    entry: 'apps/station/src/main.ts',
    usage: /Usage: tsx apps\/station\/src\/main\.ts/,
    unknown: '--frobnicate',
    refusal: /未知参数：--frobnicate/,
  },
  {
    name: 'centre server',
    entry: 'apps/centre/src/main.ts',
    usage: /Usage: tsx apps\/centre\/src\/main\.ts/,
    unknown: '--frobnicate',
    refusal: /未知参数：--frobnicate/,
  },
  {
    name: 'lane simulator',
    entry: 'apps/lane-sim/src/main.ts',
    usage: /Usage: tsx apps\/lane-sim\/src\/main\.ts/,
    unknown: '--frobnicate',
    refusal: /未知参数：--frobnicate/,
  },
  {
    name: 'paygate server',
    entry: 'apps/paygate/src/main.ts',
    usage: /Usage: tsx apps\/paygate\/src\/main\.ts \[--data FILE\]/,
    unknown: '--frobnicate',
    refusal: /未知参数：--frobnicate/,
  },
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(entry: string, args: string[]): Promise<Run> {
  const file = join(ROOT, entry);
  const argv = entry.endsWith('.mjs') ? [file, ...args] : ['--import', 'tsx', file, ...args];
  return new Promise((resolve) => {
    // A program that ignored the argument would start serving: the timeout ends it and the test fails.
    execFile(process.execPath, argv, { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('every command-line program answers --help and refuses what it does not know', () => {
  it.each(CLIS)(
    '$name',
    async (cli) => {
      const [help, h, unknown] = await Promise.all([
        run(cli.entry, ['--help']),
        run(cli.entry, ['-h']),
        run(cli.entry, [cli.unknown]),
      ]);
      expect(help.code, help.stderr).toBe(0);
      expect(help.stdout).toMatch(cli.usage);
      expect(h.code, h.stderr).toBe(0);
      expect(h.stdout).toBe(help.stdout);
      expect(unknown.code).not.toBe(0);
      expect(unknown.code).not.toBeNull();
      expect(unknown.stderr).toMatch(cli.refusal);
    },
    120_000,
  );
});

import { readFileSync, writeFileSync } from 'node:fs';
import {
  cmdBuild,
  cmdExplain,
  cmdFee,
  cmdFit,
  cmdGenerate,
  cmdValidate,
  type Lines,
  parseClass,
} from './commands';

const USAGE = `tollpad-tariff — road network, minimum-fee tables, path fitting, exit fee decision

Usage:
  tollpad-tariff help | --help | -h          this text
  tollpad-tariff generate [--seed N] [--roads N] [--stations N] [--version V] [--out FILE]
                                             write a SYNTHETIC TEST province tariff (JSON Lines)
  tollpad-tariff validate FILE               check a tariff file (errors name line and field)
  tollpad-tariff build FILE                  build all-pairs minimum-fee tables and report
  tollpad-tariff fee FILE ENTRY EXIT CLASS   minimum fee (station ID or hex; class code)
  tollpad-tariff fit FILE ENTRY EXIT CLASS [GANTRY ...]
                                             online fee by path fitting through gantries (ID or hex)
  tollpad-tariff explain FILE INPUT.json [--policy POLICY.json] [--online local|fail]
                                             the exit fee decision with every input, rule and code`;

function flags(args: string[]): { pos: string[]; opt: Map<string, string> } {
  const pos: string[] = [];
  const opt = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) opt.set(a.slice(2), args[++i] ?? '');
    else pos.push(a);
  }
  return { pos, opt };
}

function read(path: string | undefined): string | Lines {
  if (!path) return { ok: false, lines: [USAGE] };
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, lines: [`无法读取文件 ${path}：${e instanceof Error ? e.message : String(e)}`] };
  }
}

function readJson(path: string): unknown | Lines {
  const t = read(path);
  if (typeof t !== 'string') return t;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return { ok: false, lines: [`${path} 不是有效的 JSON`] };
  }
}

const isLines = (v: unknown): v is Lines =>
  typeof v === 'object' && v !== null && 'lines' in v && Array.isArray((v as Lines).lines);

async function run(argv: string[]): Promise<Lines> {
  const [cmd, ...rest] = argv;
  const { pos, opt } = flags(rest);
  const num = (k: string) => (opt.has(k) ? Number(opt.get(k)) : undefined);
  switch (cmd) {
    case 'generate': {
      const text = cmdGenerate({
        ...(num('seed') !== undefined ? { seed: num('seed')! } : {}),
        ...(num('roads') !== undefined ? { roads: num('roads')! } : {}),
        ...(num('stations') !== undefined ? { stations: num('stations')! } : {}),
        ...(opt.has('version') ? { version: opt.get('version')! } : {}),
      });
      const outPath = opt.get('out');
      if (!outPath) return { ok: true, lines: [text.trimEnd()] };
      writeFileSync(outPath, text);
      return { ok: true, lines: [`已写入 ${outPath}（SYNTHETIC TEST DATA）`, ...cmdValidate(text).lines] };
    }
    case 'validate':
    case 'build': {
      const t = read(pos[0]);
      if (typeof t !== 'string') return t;
      return cmd === 'validate' ? cmdValidate(t) : cmdBuild(t);
    }
    case 'fee':
    case 'fit': {
      const t = read(pos[0]);
      if (typeof t !== 'string') return t;
      const cls = parseClass(pos[3]);
      if (!pos[1] || !pos[2] || Number.isNaN(cls))
        return { ok: false, lines: ['需要 入口站 出口站 车型', USAGE] };
      return cmd === 'fee' ? cmdFee(t, pos[1], pos[2], cls) : cmdFit(t, pos[1], pos[2], cls, pos.slice(4));
    }
    case 'explain': {
      const t = read(pos[0]);
      if (typeof t !== 'string') return t;
      if (!pos[1]) return { ok: false, lines: [USAGE] };
      const input = readJson(pos[1]);
      if (isLines(input)) return input;
      const policyPath = opt.get('policy');
      const policy = policyPath ? readJson(policyPath) : undefined;
      if (isLines(policy)) return policy;
      const online = opt.get('online') === 'fail' ? 'fail' : 'local';
      return cmdExplain(t, input, policy, online);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { ok: true, lines: [USAGE] };
    default:
      return { ok: false, lines: [`未知命令：${cmd}`, USAGE] };
  }
}

const out = await run(process.argv.slice(2));
(out.ok ? process.stdout : process.stderr).write(`${out.lines.join('\n')}\n`);
process.exitCode = out.ok ? 0 : 2;

import { explainId, explainPlate, explainSpecials, explainYuan, type Lines, listClasses } from './explain';

const USAGE = `tollpad — handheld ETC exit toll collection

Usage:
  tollpad help | --help | -h        this text
  tollpad demo                      walk through the domain vocabulary with the real Shandong example
  tollpad plate <plate> <colour>    validate a plate for its colour code (e.g. 京A12345 0)
  tollpad id <id>                   explain a station/lane ID, an exit trade ID or a PassID
  tollpad special <codes>           describe special-situation codes (e.g. 14|51)
  tollpad yuan <amount>             convert yuan to fen exactly
  tollpad classes                   list vehicle classes (JT/T 489-2019)`;

function demo(): Lines {
  const sections: Array<[string, Lines]> = [
    ['Exit trade ID (real Shandong record, 2024-01-17)', explainId('G002237001003020109102024011715322746')],
    ['PassID of the same record', explainId('013701220423235316938920240117122342')],
    ['Plate check: a valid small new-energy plate', explainPlate('粤BD12345', '4')],
    ['Plate check: I/O is not allowed in positions 3–6', explainPlate('京A1I345', '0')],
    ['Special situations of a record', explainSpecials('14|51')],
    ['Money: yuan to integer fen', explainYuan('88.10')],
  ];
  const lines = ['tollpad demo — the domain vocabulary every part shares', ''];
  for (const [title, body] of sections) lines.push(`# ${title}`, ...body.lines, '');
  return { ok: true, lines };
}

function run(argv: string[]): Lines {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case 'demo':
      return demo();
    case 'plate':
      return args.length === 2 ? explainPlate(args[0]!, args[1]!) : { ok: false, lines: [USAGE] };
    case 'id':
      return args[0] ? explainId(args[0]) : { ok: false, lines: [USAGE] };
    case 'special':
      return args[0] !== undefined ? explainSpecials(args[0]) : { ok: false, lines: [USAGE] };
    case 'yuan':
      return args[0] ? explainYuan(args[0]) : { ok: false, lines: [USAGE] };
    case 'classes':
      return listClasses();
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { ok: true, lines: [USAGE] };
    default:
      return { ok: false, lines: [`未知命令：${cmd}`, USAGE] };
  }
}

const out = run(process.argv.slice(2));
(out.ok ? process.stdout : process.stderr).write(`${out.lines.join('\n')}\n`);
process.exitCode = out.ok ? 0 : 2;

/** What the command line asks for: the usage, or a run with an optional data file. */
export type CommandLine =
  | { kind: 'help' }
  | { kind: 'run'; dataFile: string | undefined }
  | { kind: 'error'; message: string };

/** `--help`/`-h`, `--data FILE` or `--data=FILE`; anything else is refused (a typo is never ignored). */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  if (argv.some((a) => a === '--help' || a === '-h')) return { kind: 'help' };
  let dataFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--data') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-'))
        return { kind: 'error', message: '--data 需要一个文件路径' };
      dataFile = next;
      i++;
    } else if (a.startsWith('--data=') && a.length > 7) {
      dataFile = a.slice(7);
    } else {
      return { kind: 'error', message: `未知参数：${a}` };
    }
  }
  return { kind: 'run', dataFile };
}

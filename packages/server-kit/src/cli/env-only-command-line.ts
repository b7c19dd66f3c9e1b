/** The argument that asks a program for its usage. */
const isHelpRequest = (arg: string): boolean => arg === '--help' || arg === '-h';

/**
 * The command line of a program configured by its environment alone (the servers, the demo, the bench):
 * `--help` or `-h` prints the usage and exits 0; any other argument is refused with exit 2, so a
 * mistyped option is not silently ignored.
 */
export function envOnlyCommandLine(argv: readonly string[], usage: string): void {
  if (argv.some(isHelpRequest)) {
    process.stdout.write(`${usage.trimEnd()}\n`);
    process.exit(0);
  }
  if (argv.length > 0) {
    process.stderr.write(
      `未知参数：${argv.join(' ')}（配置请用环境变量，--help 查看用法）\n\n${usage.trimEnd()}\n`,
    );
    process.exit(2);
  }
}

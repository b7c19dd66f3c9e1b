// Runs before every npm script that starts the project's code (`prestart`, `pretest`, …) with the `node`
// that npm scripts find first on their PATH: the pinned runtime in node_modules/.bin once `npm ci` has
// installed it. Too old a Node gets one line saying what to install and exit code 1, not a stack trace
// from a dependency. `--print` also says which runtime runs.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pinnedPackageFor, runtimeProblem } from './runtime-problem.mjs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const pinnedName = pinnedPackageFor(process.platform, process.arch);
const pinned = pinnedName ? pkg.optionalDependencies?.[pinnedName] : undefined;
const binary =
  pinnedName && fileURLToPath(new URL(`../../node_modules/${pinnedName}/bin/node`, import.meta.url));
const problem = runtimeProblem({
  installedAt: binary && existsSync(binary) ? binary : undefined,
  version: process.version,
  platform: process.platform,
  arch: process.arch,
  pinned,
  execPath: process.execPath,
});
if (problem) {
  console.error(problem);
  process.exit(1);
}
if (process.argv.includes('--print')) {
  const which =
    pinned && process.version === `v${pinned}` ? `pinned ${pinnedName}@${pinned}` : 'not the pinned build';
  console.log(`[runtime] Node ${process.version} (${which}) at ${process.execPath}`);
}

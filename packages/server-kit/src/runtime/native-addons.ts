import BetterSqlite3 from 'better-sqlite3';

/** The Node.js major the servers are built and tested on (package.json `engines`, the pinned runtime). */
export const REQUIRED_NODE_MAJOR = 24;

/** The runtime cannot run this install: too old a Node, or a native addon built for another one. */
export class RuntimeMismatchError extends Error {
  override readonly name = 'RuntimeMismatchError';
}

/**
 * One line a person can act on when `error` is a native addon built for another Node.js ABI (Node's own
 * ERR_DLOPEN_FAILED text names both NODE_MODULE_VERSIONs), else undefined.
 */
export function explainAddonFailure(addon: string, error: unknown): string | undefined {
  const text = error instanceof Error ? error.message : String(error);
  const m = /NODE_MODULE_VERSION (\d+)\.[\s\S]*?requires\s+NODE_MODULE_VERSION (\d+)/.exec(text);
  if (!m) return undefined;
  return (
    `${addon} was built for another Node.js (ABI ${m[1]}) than the one running it (${process.version}, ABI ${m[2]}): ` +
    `run \`npm ci\` (or \`npm rebuild ${addon}\`) in the project root, which builds it for the pinned runtime, ` +
    'and start the server through npm so that runtime runs it.'
  );
}

/**
 * Start-up check of the servers: the Node major, and better-sqlite3 loaded by the runtime that runs it
 * (the addon is loaded on first open, so a mismatch would otherwise surface at the first database use).
 * Returns the runtime's version for the ready line.
 */
export function checkServerRuntime(version: string = process.version): string {
  const major = Number(/^v(\d+)\./.exec(version)?.[1] ?? 0);
  if (major < REQUIRED_NODE_MAJOR) {
    throw new RuntimeMismatchError(
      `tollpad needs Node.js ${REQUIRED_NODE_MAJOR} LTS but this is Node ${version}: start it through npm, which runs the pinned runtime, or install Node.js ${REQUIRED_NODE_MAJOR} LTS.`,
    );
  }
  try {
    new BetterSqlite3(':memory:').close();
  } catch (error) {
    const why = explainAddonFailure('better-sqlite3', error);
    if (why) throw new RuntimeMismatchError(why);
    throw error;
  }
  return version;
}

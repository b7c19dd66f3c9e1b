import { randomUUID } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Rows inserted one after
 * another get neighbouring keys, so a B-tree keyed by it (the table's or an index's) takes each insert on
 * its last page instead of on a random one: fewer pages changed per commit, fewer WAL frames written (SQLite
 * and PostgreSQL alike). Not for secrets: the time of creation can be read from it.
 */
export function timeOrderedId(now = Date.now()): string {
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, V the variant: its random bits stay
  const ms = now.toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15)}`;
}

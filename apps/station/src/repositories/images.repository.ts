import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Selectable } from 'kysely';
import type { ImagesTable } from '../db/schema';
import type { Executor } from './executor';

export type ImageRow = Selectable<ImagesTable>;

/** Image metadata in the DB; bytes on disk, content-addressed: `<dir>/ab/cd/<sha256>`. */
export class ImagesRepository {
  constructor(
    private readonly db: Executor,
    private readonly dir: string,
  ) {}

  find(sha256: string, x: Executor = this.db): Promise<ImageRow | undefined> {
    return x.selectFrom('images').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  }

  async insert(row: ImageRow): Promise<void> {
    await this.db
      .insertInto('images')
      .values(row)
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Writes via a temp file + rename, so a crash never leaves a half file under the final name. */
  writeBytes(sha256: string, bytes: Uint8Array): void {
    const p = this.pathOf(sha256);
    if (existsSync(p)) return;
    mkdirSync(dirname(p), { recursive: true });
    const tmp = `${p}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes, { flush: true });
    renameSync(tmp, p);
  }

  readBytes(sha256: string): Buffer | undefined {
    const p = this.pathOf(sha256);
    return existsSync(p) ? readFileSync(p) : undefined;
  }
}

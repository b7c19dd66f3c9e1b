import { readFile, writeFile } from 'node:fs/promises';
import { err, type Result } from '@tollpad/domain';
import { ListError } from './errors';
import type { StatusIndex } from './status-index';
import type { ListStore } from './store';

/** Node-only: read a list file (full or delta) into a store; the store keeps its version on any error. */
export async function loadListFile(store: ListStore, path: string): Promise<Result<StatusIndex, ListError>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return err(
      new ListError(
        'LIST_FORMAT',
        'path',
        `无法读取名单文件 ${path}：${e instanceof Error ? e.message : String(e)}`,
      ),
    );
  }
  return store.loadFile(bytes);
}

export async function writeListFile(path: string, bytes: Uint8Array): Promise<void> {
  await writeFile(path, bytes);
}

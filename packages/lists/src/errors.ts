/** Typed errors of the status-list package; `reason` is Chinese so it can be shown to an admin as is. */
export type ListErrorCode =
  | 'LIST_FORMAT'
  | 'LIST_CHECKSUM'
  | 'LIST_KIND'
  | 'LIST_VERSION_GAP'
  | 'LIST_KEY'
  | 'LIST_TYPE'
  | 'LIST_ENDIAN'
  | 'LIST_NOT_LOADED';

export class ListError extends Error {
  constructor(
    readonly code: ListErrorCode,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ListError';
  }
}

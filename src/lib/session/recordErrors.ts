/** Typed storage errors: a `code` and a message saying what was expected and what was found. */
export class StorageError extends Error {
  override name = 'StorageError';
  readonly code: 'NO_INDEXEDDB' | 'RECORD_NOT_FOUND' | 'RECORD_CLOSED' | 'RECORD_OPEN' | 'BAD_RECORD_FILE' | 'WRITE_FAILED';
  constructor(
    code: 'NO_INDEXEDDB' | 'RECORD_NOT_FOUND' | 'RECORD_CLOSED' | 'RECORD_OPEN' | 'BAD_RECORD_FILE' | 'WRITE_FAILED',
    message: string,
  ) {
    super(message);
    this.code = code;
  }
}

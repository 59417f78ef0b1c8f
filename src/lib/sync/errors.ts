/** Typed sync errors: a `code` and a message saying what was expected and what was got. */
export class SyncError extends Error {
  override name = 'SyncError';
  readonly code: 'BAD_SETTINGS' | 'RECORD_OPEN' | 'RECORD_NOT_FOUND' | 'TIMEOUT';
  constructor(
    code: 'BAD_SETTINGS' | 'RECORD_OPEN' | 'RECORD_NOT_FOUND' | 'TIMEOUT',
    message: string,
  ) {
    super(message);
    this.code = code;
  }
}

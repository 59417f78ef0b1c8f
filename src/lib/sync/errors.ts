/** Typed sync errors: a `code` and a message saying what was expected and what was got. */
export class SyncError extends Error {
  override name = 'SyncError';
  constructor(
    readonly code: 'BAD_SETTINGS' | 'RECORD_OPEN' | 'RECORD_NOT_FOUND' | 'TIMEOUT',
    message: string,
  ) {
    super(message);
  }
}

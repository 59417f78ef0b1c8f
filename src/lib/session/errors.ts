/** Typed session errors: a `code`, and a message saying what was expected and what was found. */
export type SessionErrorCode =
  | 'DEVICE_NOT_READY'
  | 'PLAN_INVALID'
  | 'NO_ELECTRODE'
  | 'DAILY_CAP'
  | 'BAD_STATE'
  | 'ALREADY_STARTED'
  | 'STOPPED'
  | 'RECORD_FAILED'
  | 'PARTICIPANT_INVALID'
  | 'LEVEL_REFUSED';

export class SessionError extends Error {
  override name = 'SessionError';
  readonly code: SessionErrorCode;
  constructor(
    code: SessionErrorCode,
    message: string,
  ) {
    super(message);
    this.code = code;
  }
}

/** The session was refused before anything was sent to the board (no record is created). */
export class SessionRefusedError extends SessionError {
  override name = 'SessionRefusedError';
}

/** An action that the engine's present state does not allow. */
export class SessionStateError extends SessionError {
  override name = 'SessionStateError';
  constructor(action: string, expected: string, got: string) {
    super('BAD_STATE', `${action}: expected state ${expected}, got ${got}`);
  }
}

/** Typed errors of the simulated board itself (not protocol NACKs, which go over the wire). */
export type BoardErrorCode = 'BAD_OPTION' | 'BAD_CHANNEL' | 'DESTROYED';

export class SimulatedBoardError extends Error {
  override name = 'SimulatedBoardError';
  readonly code: BoardErrorCode;
  constructor(
    code: BoardErrorCode,
    message: string,
  ) {
    super(message);
    this.code = code;
  }
}

/** A constructor option or inject() argument that no real board could have. Says expected vs got. */
export class BoardOptionError extends SimulatedBoardError {
  override name = 'BoardOptionError';
  readonly option: string;
  readonly expected: string;
  readonly got: unknown;
  constructor(
    option: string,
    expected: string,
    got: unknown,
  ) {
    super('BAD_OPTION', `SimulatedBoard option ${option}: expected ${expected}, got ${String(got)}`);
    this.option = option;
    this.expected = expected;
    this.got = got;
  }
}

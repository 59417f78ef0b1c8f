/** Typed protocol errors. Each has a stable `code` and says what was expected and what was got. */
import type { Violation } from './validate.ts';

export class ProtocolError extends Error {
  override name = 'ProtocolError';
  readonly code: string;
  constructor(
    code: string,
    message: string,
  ) {
    super(message);
    this.code = code;
  }
}

/** A field of a message does not fit its wire encoding (nothing is truncated or rounded). */
export class EncodeError extends ProtocolError {
  override name = 'EncodeError';
  readonly field: string;
  readonly expected: string;
  readonly got: unknown;
  constructor(
    field: string,
    expected: string,
    got: unknown,
  ) {
    super('ENCODE_FIELD', `cannot encode ${field}: expected ${expected}, got ${String(got)}`);
    this.field = field;
    this.expected = expected;
    this.got = got;
  }
}

/** encodeFrame refused a setProgram that fails validateProgram; no bytes were produced. */
export class ProgramRejectedError extends ProtocolError {
  override name = 'ProgramRejectedError';
  readonly violations: Violation[];
  constructor(violations: Violation[]) {
    super('PROGRAM_REJECTED', `program refused: ${violations.map((v) => v.message).join('; ')}`);
    this.violations = violations;
  }
}

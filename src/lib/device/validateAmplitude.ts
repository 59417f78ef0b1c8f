/**
 * A live amplitude change is checked with the same validator as a program: the channel's accepted program
 * with `amplitudeUa` substituted, so every limit (mode table, caps, lab cap, r.m.s. current, current
 * density) applies. Only the ramp-up-vs-slew check is dropped: a live rise is slewed by the board at
 * maxSlewUaPerS (PROTOCOL.md: SET_AMPLITUDE), not by the program's ramp.
 */
import { validateProgram, type Program, type ValidationContext, type ValidationResult } from '../../../firmware-protocol/src/index.ts';

export function validateAmplitude(program: Program, amplitudeUa: number, context: ValidationContext): ValidationResult {
  const result = validateProgram({ ...program, amplitudeUa }, context);
  if (result.ok) return result;
  const violations = result.violations.filter((v) => !(v.field === 'rampUpMs' && v.kind === 'min' && v.source !== 'protocol'));
  return violations.length === 0 ? { ok: true } : { ok: false, violations };
}

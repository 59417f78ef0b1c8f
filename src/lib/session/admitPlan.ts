/**
 * The checks a plan passes before a session may begin, kept out of the engine's state machine: the board
 * connected and ready, the host-side limits applied (sessionLimits.ts), the program valid, the titration
 * and the pain rating well-formed, the participant code valid, and the first program (the titration's
 * start level) valid too. Refuses with SessionRefusedError; nothing is sent and no record exists yet.
 */
import { amplitudeCeiling, type Bound, type Program, type ValidationContext } from '../../../firmware-protocol/src/index.ts';
import type { StimulatorDevice } from '../device/types.ts';
import { SessionRefusedError } from './errors.ts';
import { DEFAULT_PARTICIPANT, parseParticipantCode } from './participant.ts';
import type { SessionPlan } from './SessionPlan.ts';
import { admitSessionLimits } from './sessionLimits.ts';
import type { StartOptions } from './sessionEngineTypes.ts';

export interface AdmittedPlan {
  /** The validation context the session runs in (limits applied to the device for its channel). */
  context: ValidationContext;
  ceiling: Bound;
  participant: string;
  /** The titration's start level, or the plan's amplitude, µA. */
  firstLevelUa: number;
  /** The plan's program at the first level. */
  firstProgram: Program;
}

export function admitPlan(device: StimulatorDevice, plan: SessionPlan, options: StartOptions): AdmittedPlan {
  if (device.state !== 'ready' && device.state !== 'stimulating') {
    throw new SessionRefusedError('DEVICE_NOT_READY', `start(): expected the board connected and ready, got ${device.state}`);
  }
  const program = plan.program;
  const context = admitSessionLimits(device, program.channel, options.densityOverride ?? null);
  const check = device.validate(program);
  if (!check.ok) {
    const first = check.violations[0];
    throw new SessionRefusedError('PLAN_INVALID', `start(): plan refused: ${first ? first.message : 'invalid'}`);
  }
  const ceiling = amplitudeCeiling(program, context);
  const titration = plan.titration;
  if (titration) {
    if (!(titration.stepUa > 0) || titration.startUa <= 0 || titration.startUa > titration.maxUa || titration.maxUa > Math.min(program.amplitudeUa, ceiling.value)) {
      throw new SessionRefusedError(
        'PLAN_INVALID',
        `start(): titration must satisfy 0 < start ≤ max ≤ ${Math.min(program.amplitudeUa, ceiling.value)} µA and step > 0, got start ${titration.startUa}, max ${titration.maxUa}, step ${titration.stepUa}`,
      );
    }
  }
  if (options.painPre !== undefined && !(Number.isInteger(options.painPre) && options.painPre >= 0 && options.painPre <= 10)) {
    throw new SessionRefusedError('PLAN_INVALID', `start(): pain rating must be an integer NRS 0–10, got ${String(options.painPre)}`);
  }
  const participant = parseParticipantCode(options.participant ?? DEFAULT_PARTICIPANT);
  const firstLevelUa = titration ? titration.startUa : program.amplitudeUa;
  const firstProgram: Program = { ...program, amplitudeUa: firstLevelUa };
  const firstCheck = device.validate(firstProgram);
  if (!firstCheck.ok) throw new SessionRefusedError('PLAN_INVALID', `start(): titration start refused: ${firstCheck.violations[0]?.message ?? 'invalid'}`);
  return { context, ceiling, participant, firstLevelUa, firstProgram };
}

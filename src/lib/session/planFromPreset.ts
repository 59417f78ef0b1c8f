/**
 * Turn a catalogue preset into a SessionPlan for one channel. The preset's amplitude is a ceiling: with
 * titration (the default) the session starts at the suggested level and the user raises it, never past
 * the ceiling; without titration the caller names the target (e.g. a previous session's titrated value),
 * which must be under the ceiling. Night slots scale ceiling and start by the programme's night intensity.
 * The ceiling is also capped by the board, lab and r.m.s./density limits in force (amplitudeCeiling), and
 * the ramp-up lengthened if the board's slew limit needs it. A template with placeholders left, or a
 * percutaneous-lead preset on a board without a declared percutaneous output, is refused first
 * (PresetNotRunnableError, presets/runnable.ts).
 */
import { MAX_RAMP_MS, amplitudeCeiling, effectiveLimits, minRampUpMs, type ValidationContext } from '../../../firmware-protocol/src/index.ts';
import { assertPresetRunnable, type BoardOutputs } from '../presets/runnable.ts';
import type { Preset } from '../presets/types.ts';
import { SessionRefusedError } from './errors.ts';
import type { ProgrammeRef, SessionPlan } from './SessionPlan.ts';

export interface PlanFromPresetOptions {
  channel: number;
  /** Titrate from the preset's start suggestion (default true). */
  titrate?: boolean;
  /** Without titration: the target amplitude, µA (≤ the ceiling). */
  amplitudeUa?: number;
  /** Titration step, µA. Default 1 mA. */
  stepUa?: number;
  /** Scale ceiling and start, thousandths (night slots). Default 1000. */
  intensityPermille?: number;
  /** The limits context in force (board caps, lab cap, electrode area). */
  context?: ValidationContext;
  programmeRef?: ProgrammeRef | null;
  label?: string;
  /** What the connected board declares it can drive. Default: surface only (every protocol v1 board). */
  boardOutputs?: BoardOutputs;
}

export function planFromPreset(preset: Preset, options: PlanFromPresetOptions): SessionPlan {
  assertPresetRunnable(preset, options.boardOutputs);
  const permille = options.intensityPermille ?? 1000;
  if (!(permille > 0 && permille <= 1000)) throw new RangeError(`intensityPermille must be in (0, 1000], got ${permille}`);
  const base = { ...preset.program, channel: options.channel };
  const context = options.context ?? {};
  const ceilingUa = Math.min(Math.floor((base.amplitudeUa * permille) / 1000), amplitudeCeiling(base, context).value);
  const titrate = options.titrate ?? true;
  const stepUa = options.stepUa ?? 1000;
  let amplitudeUa: number;
  if (titrate) amplitudeUa = ceilingUa;
  else {
    const target = options.amplitudeUa;
    if (target === undefined || !Number.isInteger(target) || target <= 0 || target > ceilingUa) {
      throw new SessionRefusedError('PLAN_INVALID', `planFromPreset(${preset.id}): without titration the target must be an integer in (0, ${ceilingUa}] µA (the ceiling), got ${String(target)}`);
    }
    amplitudeUa = target;
  }
  const slew = effectiveLimits(base.mode, context).slewUaPerS.value;
  const rampUpMs = Math.min(MAX_RAMP_MS, Math.max(base.rampUpMs, minRampUpMs(amplitudeUa, slew)));
  const program = { ...base, amplitudeUa, rampUpMs };
  const startUa = Math.max(1, Math.min(Math.floor((preset.startAmplitudeUa * permille) / 1000), ceilingUa));
  return {
    program,
    titration: titrate ? { startUa, stepUa, maxUa: ceilingUa } : null,
    presetId: preset.id,
    programmeRef: options.programmeRef ?? null,
    label: options.label ?? preset.name,
  };
}

/**
 * The host-side limits a session is admitted under, kept out of the engine's state machine: every
 * session needs an electrode area on its channel (so the current-density limit always binds), and a
 * raised density limit exists only as this session's declared override, applied to the device for the
 * session and removed when it ends. Both are written into the record: the area in the header, the
 * override as an event, and the limits in force with every program sent.
 */
import { DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2, densityLimitUaPerCm2, type ValidationContext } from '../../../firmware-protocol/src/index.ts';
import { densityOverrideProblem, type DensityOverride } from '../device/densityOverride.ts';
import type { StimulatorDevice } from '../device/types.ts';
import type { ProgramLimitsLog, RecordEventBody } from './recordTypes.ts';
import { SessionRefusedError } from './errors.ts';

/**
 * Check and apply the limits for a session on `channel`; returns the validation context it runs in.
 * Refuses (SessionRefusedError, nothing applied) with no electrode area or a malformed override. Any
 * override left on the channel by an earlier caller is replaced by exactly this session's (or none).
 */
export function admitSessionLimits(device: StimulatorDevice, channel: number, override: DensityOverride | null): ValidationContext {
  if (device.validationContextFor(channel).electrodeAreaCm2 === undefined) {
    throw new SessionRefusedError(
      'NO_ELECTRODE',
      `start(): no electrode chosen for channel ${channel + 1}: choose the pad size (its area in cm²) so the current-density limit can be checked; nothing was sent`,
    );
  }
  if (override) {
    const problem = densityOverrideProblem(override);
    if (problem) throw new SessionRefusedError('PLAN_INVALID', `start(): density override refused: ${problem}; nothing was sent`);
  }
  device.setDensityOverride(channel, override);
  return device.validationContextFor(channel);
}

/** The session on `channel` is over (or never started): its override, if any, ends with it. */
export function releaseSessionLimits(device: StimulatorDevice, channel: number): void {
  device.setDensityOverride(channel, null);
}

/** The record event for an override in force on `channel`, or null. */
export function overrideEvent(device: StimulatorDevice, channel: number): RecordEventBody | null {
  const override = device.densityOverride(channel);
  if (!override) return null;
  return {
    kind: 'override',
    what: 'current-density',
    channel,
    limitUaPerCm2: override.limitUaPerCm2,
    defaultUaPerCm2: DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2,
    reason: override.reason,
  };
}

/** What a SET_PROGRAM on `channel` is checked against, logged with it (the program log of the record). */
export function programLimitsLog(device: StimulatorDevice, channel: number): ProgramLimitsLog {
  const context = device.validationContextFor(channel);
  const override = device.densityOverride(channel);
  return {
    electrodeAreaCm2: context.electrodeAreaCm2 ?? null,
    densityLimitUaPerCm2: densityLimitUaPerCm2(context).value,
    ...(override ? { densityOverrideReason: override.reason } : {}),
  };
}

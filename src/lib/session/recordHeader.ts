/**
 * The header of a new session record: what was planned, for whom, on which board and port, and under
 * which limits. Pure: the engine supplies the id and the times.
 */
import { effectiveLimits } from '../../../firmware-protocol/src/index.ts';
import type { StimulatorDevice } from '../device/types.ts';
import type { AdmittedPlan } from './admitPlan.ts';
import type { SessionRecord, SoftwareIdentity } from './recordTypes.ts';
import type { SessionPlan } from './SessionPlan.ts';

export interface RecordHeaderInput {
  id: string;
  createdMonoMs: number;
  createdWallMs: number;
  plan: SessionPlan;
  admitted: AdmittedPlan;
  device: StimulatorDevice;
  /** Pain before the session, NRS 0–10, if rated. */
  painPre: number | null;
  /** The software running the session (null: not known, e.g. a test rig). */
  software?: SoftwareIdentity | null;
}

export function recordHeader({ id, createdMonoMs, createdWallMs, plan, admitted, device, painPre, software }: RecordHeaderInput): SessionRecord {
  const info = device.info;
  const { context, ceiling } = admitted;
  return {
    id,
    status: 'open',
    createdMonoMs,
    createdWallMs,
    endedWallMs: null,
    endedMonoMs: null,
    plan,
    participant: admitted.participant,
    board: {
      firmwareVersion: info ? `${info.firmwareMajor}.${info.firmwareMinor}.${info.firmwarePatch}` : 'unknown',
      protocolVersion: info?.protocolVersion ?? 0,
      serialNumber: info?.serialNumber ?? '',
      caps: info ? { ...info.caps } : { channelCount: 0, maxAmplitudeUa: 0, maxPulseWidthUs: 0, minFrequencyDeciHz: 0, maxFrequencyDeciHz: 0, maxSlewUaPerS: 0, complianceMv: 0 },
      watchdogMs: info?.watchdogMs ?? 0,
      telemetryRateHz: info?.telemetryRateHz ?? 0,
      port: { ...device.identity },
    },
    ...(software ? { software: { ...software } } : {}),
    limits: {
      effective: effectiveLimits(plan.program.mode, context),
      amplitudeCeiling: ceiling,
      labCap: context.labCap ? { ...context.labCap } : null,
      electrodeAreaCm2: context.electrodeAreaCm2 ?? null,
    },
    outcome: null,
    stopReason: null,
    outcomeMessage: null,
    targetUa: null,
    dose: [],
    pain: { pre: painPre, post: null },
    eventCount: null,
    summaryChunkCount: null,
  };
}

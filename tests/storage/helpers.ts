/** Shared fixtures for storage and session tests. */
import 'fake-indexeddb/auto';
import { effectiveLimits, type Program, type TelemetryMessage } from '../../firmware-protocol/src/index.ts';
import { openStimbenchDb, type StimbenchDb } from '../../src/lib/storage/openStimbenchDb.ts';
import type { SessionRecord } from '../../src/lib/storage/recordTypes.ts';
import type { SessionPlan } from '../../src/lib/session/SessionPlan.ts';

let n = 0;
export async function freshDb(prefix = 'db'): Promise<{ db: StimbenchDb; name: string }> {
  const name = `${prefix}-${process.pid}-${n++}-${Math.random().toString(36).slice(2)}`;
  return { db: await openStimbenchDb({ name }), name };
}

export const PROGRAM: Program = {
  channel: 0,
  mode: 'conventional',
  waveform: 'symmetric-biphasic',
  frequencyDeciHz: 1000,
  pulseWidthUs: 100,
  amplitudeUa: 10_000,
  durationMs: 60_000,
  rampUpMs: 2_000,
  rampDownMs: 2_000,
  burstPulses: 0,
  burstFrequencyDeciHz: 0,
  sweepHighDeciHz: 0,
  sweepPeriodMs: 0,
};

export function plan(program: Program = PROGRAM, extra: Partial<SessionPlan> = {}): SessionPlan {
  return { program, titration: null, presetId: null, programmeRef: null, label: 'test', ...extra };
}

export function recordOf(id: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    status: 'open',
    createdMonoMs: 0,
    createdWallMs: Date.UTC(2026, 0, 1),
    endedWallMs: null,
    endedMonoMs: null,
    plan: plan(),
    board: {
      firmwareVersion: '1.0.0',
      protocolVersion: 1,
      serialNumber: 'SIM-0001',
      caps: { channelCount: 2, maxAmplitudeUa: 80_000, maxPulseWidthUs: 400, minFrequencyDeciHz: 10, maxFrequencyDeciHz: 1500, maxSlewUaPerS: 10_000, complianceMv: 80_000 },
      watchdogMs: 500,
      telemetryRateHz: 1000,
      port: { kind: 'simulated', label: 'Simulated board' },
    },
    limits: { effective: effectiveLimits('conventional'), amplitudeCeiling: { value: 60_000, source: 'mode-table', reason: 'conventional mode' }, labCap: null, electrodeAreaCm2: null },
    outcome: null,
    stopReason: null,
    outcomeMessage: null,
    targetUa: null,
    dose: [],
    pain: { pre: null, post: null },
    eventCount: null,
    summaryChunkCount: null,
    ...overrides,
  };
}

/** A TELEMETRY batch of `count` samples at 1 kHz starting at `firstSampleMs`, current from `currentAt(ms)`. */
export function telemetry(channel: number, firstSampleMs: number, count: number, currentAt: (ms: number) => number, intervalUs = 1000): TelemetryMessage {
  return {
    type: 'telemetry',
    seq: 1,
    channel,
    firstSampleMs,
    sampleIntervalUs: intervalUs,
    samples: Array.from({ length: count }, (_, k) => ({ currentUa: currentAt(firstSampleMs + (k * intervalUs) / 1000), voltageMv: 0 })),
  };
}

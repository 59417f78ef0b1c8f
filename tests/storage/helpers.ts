/** Shared fixtures for storage and session tests. */
import 'fake-indexeddb/auto';
import type { TelemetryMessage } from '../../firmware-protocol/src/index.ts';
import { openStimbenchDb, type StimbenchDb } from '../../src/lib/storage/openStimbenchDb.ts';

let n = 0;
export async function freshDb(prefix = 'db'): Promise<{ db: StimbenchDb; name: string }> {
  const name = `${prefix}-${process.pid}-${n++}-${Math.random().toString(36).slice(2)}`;
  return { db: await openStimbenchDb({ name }), name };
}

export { PROGRAM, plan, recordOf } from '../fixtures/records.ts';

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

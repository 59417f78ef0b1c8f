/**
 * Real record export documents, made the way the app makes them: a SessionRecorder fed with telemetry
 * (per-second means that need rounding), closed, then exported by recordToJson, the exact body LabSync
 * posts. Uses the fake IndexedDB the storage tests use.
 */
import '../storage/helpers.ts';
import { VirtualClock } from '../../hardware-mock/src/clock.ts';
import { recordToJson, type RecordFileJson } from '../../src/lib/session/exportRecordJson.ts';
import { RecordStore } from '../../src/lib/storage/RecordStore.ts';
import type { SessionOutcome } from '../../src/lib/session/recordTypes.ts';
import { SessionRecorder } from '../../src/lib/session/SessionRecorder.ts';
import { freshDb, recordOf, telemetry } from '../storage/helpers.ts';

export interface RecordOptions {
  seconds?: number;
  outcome?: SessionOutcome;
  participant?: string;
  presetId?: string | null;
  createdWallMs?: number;
  /** Added to every sample's current, µA: two records with different offsets differ in content. */
  offsetUa?: number;
  /** Board fault events and emergency stops to record. */
  faults?: number;
  estops?: number;
}

export async function makeRecordFile(id: string, options: RecordOptions = {}): Promise<RecordFileJson> {
  const clock = new VirtualClock();
  const { db } = await freshDb('server-fixture');
  const store = new RecordStore(db);
  const base = recordOf(id, { createdWallMs: options.createdWallMs ?? Date.UTC(2026, 0, 1) });
  const recorder = await SessionRecorder.create(store, clock, { ...base, plan: { ...base.plan, presetId: options.presetId ?? null } });
  await recorder.append({ kind: 'user', action: 'start' });
  const offset = options.offsetUa ?? 0;
  for (let s = 0; s < (options.seconds ?? 3); s++) {
    recorder.telemetry(telemetry(0, 1000 + s * 1000, 1000, (ms) => 5000 + offset + (Math.floor(ms) % 7) * 333));
  }
  for (let i = 0; i < (options.faults ?? 0); i++) await recorder.append({ kind: 'fault', source: 'board', code: 'electrodeOff', channel: 0, message: 'electrode off' });
  for (let i = 0; i < (options.estops ?? 0); i++) await recorder.append({ kind: 'user', action: 'estop' });
  await recorder.close(options.outcome ?? 'completed', null, 'done', 5000);
  const file = recordToJson(await store.getFull(id), clock.wallNow());
  db.close();
  if (options.participant !== undefined) (file.record as { participant?: string }).participant = options.participant;
  return file;
}

/** A copy of `template` under another record id (its events and summaries moved with it). */
export function recordWithId(template: RecordFileJson, id: string, participant?: string): RecordFileJson {
  return {
    ...template,
    record: { ...template.record, id, ...(participant === undefined ? {} : { participant }) },
    events: template.events.map((e) => ({ ...e, recordId: id })),
    summaries: template.summaries.map((c) => ({ ...c, recordId: id })),
  };
}

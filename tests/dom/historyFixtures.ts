/**
 * Fixtures for the History and Programmes DOM tests: a RecordStore over a fresh fake-indexeddb, records
 * written through the store's own API (create, append, close, recoverInterrupted), sync entries, and a
 * minimal services object shaped like AppServices.
 */
import * as fakeIdb from 'fake-indexeddb';
import { IDBFactory } from 'fake-indexeddb';
import type { Program } from '../../firmware-protocol/src/index.ts';
import { PROGRAM, plan as basePlan, recordOf } from '../fixtures/records.ts';
import { openStimbenchDb, type StimbenchDb } from '../../src/lib/storage/openStimbenchDb.ts';
import { RecordStore } from '../../src/lib/storage/RecordStore.ts';
import { SUMMARY_CHUNK_SECONDS, type ChannelDose, type RecordEvent, type RecordEventBody, type SessionOutcome, type SessionRecord, type StopReason, type SummaryChunk } from '../../src/lib/session/recordTypes.ts';
import type { ProgrammeRef, SessionPlan } from '../../src/lib/session/SessionPlan.ts';
import type { SyncEntry } from '../../src/lib/sync/types.ts';

// happy-dom has no IndexedDB. Each test gets its own fresh IDBFactory (passed explicitly), but `idb`
// recognises requests with `instanceof IDBRequest` etc. and RecordStore builds key ranges with the global
// IDBKeyRange, so the classes must be globals too.
for (const name of ['IDBRequest', 'IDBOpenDBRequest', 'IDBTransaction', 'IDBDatabase', 'IDBObjectStore', 'IDBIndex', 'IDBCursor', 'IDBCursorWithValue', 'IDBKeyRange'] as const) {
  (globalThis as Record<string, unknown>)[name] ??= fakeIdb[name];
}

export { PROGRAM };

export function plan(extra: Partial<SessionPlan> = {}, program: Partial<Program> = {}): SessionPlan {
  return basePlan({ ...PROGRAM, ...program }, { presetId: 'conventional-tens', label: 'Conventional TENS (100 Hz, 30 min)', ...extra });
}

export function header(id: string, createdWallMs: number, overrides: Partial<SessionRecord> = {}): SessionRecord {
  const base = recordOf(id);
  return recordOf(id, { createdMonoMs: 1_000, createdWallMs, plan: plan(), board: { ...base.board, firmwareVersion: '1.2.3' }, ...overrides });
}

export interface Rig {
  db: StimbenchDb;
  store: RecordStore;
}

export async function rig(): Promise<Rig> {
  const db = await openStimbenchDb({ factory: new IDBFactory() });
  return { db, store: new RecordStore(db) };
}

/** A services object with the fields the screens read (structurally an AppServices). */
export function fakeServices(r: Rig, recovered: string[] = []) {
  return { store: r.store, db: r.db, recordsVersion: 0, recovered, storageError: null as string | null, recordsChanged() {} };
}

/** A one-chunk summary: `seconds` seconds at `ua` (all samples active). */
export function chunk(recordId: string, seconds: number, ua: number, channel = 0): SummaryChunk {
  const fill = <T extends Int32Array | Uint16Array>(a: T, v: number) => {
    a.fill(v, 0, seconds);
    return a;
  };
  return {
    recordId,
    index: 0,
    channel,
    firstSecond: 0,
    boardStartMs: 0,
    seconds,
    minUa: fill(new Int32Array(SUMMARY_CHUNK_SECONDS), ua - 100),
    meanUa: fill(new Int32Array(SUMMARY_CHUNK_SECONDS), ua),
    maxUa: fill(new Int32Array(SUMMARY_CHUNK_SECONDS), ua + 100),
    samples: fill(new Uint16Array(SUMMARY_CHUNK_SECONDS), 1000),
    activeSamples: fill(new Uint16Array(SUMMARY_CHUNK_SECONDS), 1000),
    sampleIntervalUs: 1000,
  };
}

export interface SeedOptions {
  id: string;
  createdWallMs: number;
  outcome: Exclude<SessionOutcome, 'interrupted'>;
  stopReason?: StopReason | null;
  message?: string;
  activeMs?: number;
  chargeUc?: number;
  programmeRef?: ProgrammeRef | null;
  presetId?: string;
  label?: string;
  channel?: number;
  pain?: { pre: number | null; post: number | null };
}

/** A closed record with a realistic event sequence: start, setProgram + ACK echo, start + ACK, status, outcome. */
export async function seedClosed(store: RecordStore, o: SeedOptions): Promise<SessionRecord> {
  const channel = o.channel ?? 0;
  const p = plan({ programmeRef: o.programmeRef ?? null, presetId: o.presetId ?? 'conventional-tens', label: o.label ?? 'Conventional TENS (100 Hz, 30 min)' }, { channel });
  await store.createRecord(header(o.id, o.createdWallMs, { plan: p, pain: o.pain ?? { pre: null, post: null } }));
  const bodies: RecordEventBody[] = [
    { kind: 'user', action: 'start', valueUa: 10_000 },
    { kind: 'command', command: 'setProgram', channel, program: p.program },
    { kind: 'ack', command: 'setProgram', seq: 7, rttMs: 2.5, echo: { kind: 'program', program: p.program } },
    { kind: 'command', command: 'start', channel },
    { kind: 'ack', command: 'start', seq: 8, rttMs: 1.25, echo: { kind: 'none' } },
    { kind: 'phase', from: 'idle', to: 'ramping-up' },
  ];
  if (o.outcome === 'estopped') bodies.push({ kind: 'user', action: 'estop' }, { kind: 'command', command: 'estop', channel: 0xff });
  if (o.outcome === 'fault') bodies.push({ kind: 'fault', source: 'board', code: 'overcurrent', channel, message: 'over current' });
  const events: RecordEvent[] = bodies.map((b, index) => ({ ...b, recordId: o.id, index, monoMs: 1_000 + index * 10, wallMs: o.createdWallMs + index * 10 }) as RecordEvent);
  for (const e of events) await store.appendEvent(e);
  const activeMs = o.activeMs ?? 30_000;
  const dose: ChannelDose[] = [{ channel, activeMs, amplitudeIntegralUaMs: activeMs * 10_000, chargeUc: o.chargeUc ?? 30, peakUa: 10_000, samples: activeMs, sampleIntervalUs: 1000 }];
  const endedMonoMs = 1_000 + activeMs + 2_000;
  const message = o.message ?? `${o.outcome} message`;
  const outcomeEvent: RecordEvent = { kind: 'outcome', outcome: o.outcome, stopReason: o.stopReason ?? null, message, recordId: o.id, index: events.length, monoMs: endedMonoMs, wallMs: o.createdWallMs + activeMs + 2_000 };
  return store.closeRecord(o.id, {
    outcome: o.outcome,
    stopReason: o.stopReason ?? null,
    message,
    endedMonoMs,
    endedWallMs: o.createdWallMs + activeMs + 2_000,
    dose,
    targetUa: 10_000,
    outcomeEvent,
    summaries: [chunk(o.id, Math.min(60, Math.round(activeMs / 1000)), 10_000, channel)],
    eventCount: events.length + 1,
    summaryChunkCount: 1,
  });
}

/** An open record with two events and a summary, then closed by the store's start-up recovery. */
export async function seedInterrupted(store: RecordStore, id: string, createdWallMs: number, recoveredAtWallMs: number, programmeRef: ProgrammeRef | null = null): Promise<string[]> {
  await store.createRecord(header(id, createdWallMs, { plan: plan({ programmeRef }) }));
  await store.appendEvent({ kind: 'user', action: 'start', valueUa: 10_000, recordId: id, index: 0, monoMs: 1_000, wallMs: createdWallMs });
  await store.appendEvent({ kind: 'phase', from: 'idle', to: 'ramping-up', recordId: id, index: 1, monoMs: 1_010, wallMs: createdWallMs + 10 });
  await store.putSummary(chunk(id, 20, 8_000));
  return store.recoverInterrupted(recoveredAtWallMs);
}

export function syncEntry(recordId: string, state: SyncEntry['state'], extra: Partial<SyncEntry> = {}): SyncEntry {
  return {
    recordId,
    state,
    attempts: 1,
    enqueuedWallMs: 0,
    nextAttemptWallMs: 0,
    lastAttemptWallMs: null,
    lastHttpStatus: null,
    lastError: null,
    deliveredWallMs: null,
    warnings: [],
    ...extra,
  };
}

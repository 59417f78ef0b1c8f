/**
 * The Node file store (src/lib/storage-node): the same SessionRecordPort guarantees as the IndexedDB
 * store — write-ahead journal, recovery of unfinished records as interrupted, the app's record file
 * format — and crash safety against a writer killed with SIGKILL.
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';
import { StimulatorClient } from '../../src/lib/device/StimulatorClient.ts';
import { SessionEngine } from '../../src/lib/session/SessionEngine.ts';
import { exportEventsCsv } from '../../src/lib/storage/exportEventsCsv.ts';
import { parseRecordFile, recordToJson } from '../../src/lib/session/exportRecordJson.ts';
import { RecordFileSchema } from '../../src/lib/session/recordFileSchema.ts';
import type { RecordEvent } from '../../src/lib/session/recordTypes.ts';
import { DirectoryLockedError, FileRecordStore } from '../../src/lib/storage-node/index.ts';
import { createSimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';
import { PROGRAM, plan, recordOf } from '../fixtures/records.ts';
import { ROOT, tempDir, tsScript } from './support.ts';

const ev = (recordId: string, index: number): RecordEvent => ({ kind: 'warning', message: `e${index}`, recordId, index, monoMs: index, wallMs: 1000 + index });

const closeInput = (recordId: string, index: number) => ({
  outcome: 'completed' as const,
  stopReason: null,
  message: 'done',
  endedMonoMs: 10,
  endedWallMs: 2000,
  dose: [],
  targetUa: 1000,
  outcomeEvent: { kind: 'outcome', outcome: 'completed', stopReason: null, message: 'done', recordId, index, monoMs: 10, wallMs: 2000 } as RecordEvent,
  summaries: [],
  eventCount: index + 1,
  summaryChunkCount: 0,
});

describe('FileRecordStore', { timeout: 120_000 }, () => {
  test('a record, its events in order and a closed header survive a reopen; indexes are consecutive and written once', async () => {
    const dir = tempDir();
    const store = await FileRecordStore.open(dir);
    await store.createRecord(recordOf('a'));
    for (let i = 0; i < 5; i++) await store.appendEvent(ev('a', i));
    await expect(store.appendEvent(ev('a', 2))).rejects.toThrow(/out of order \(expected 5\)/);
    const closed = await store.closeRecord('a', closeInput('a', 5));
    await expect(store.closeRecord('a', closeInput('a', 6))).rejects.toThrow(/already closed/);
    await store.close();

    const again = await FileRecordStore.open(dir);
    expect(await again.getRecord('a')).toEqual(closed);
    const full = await again.getFull('a');
    expect(full.events.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await again.recoverInterrupted(5000)).toEqual([]); // closed records are left alone
    await again.close();
  });

  test('a session run through the SessionEngine exports a record file the app accepts (RecordFileSchema) and CSV', async () => {
    const clock = new VirtualClock();
    const board = new SimulatedBoard({ clock });
    const client = new StimulatorClient(createSimulatedTransport(board), { clock, electrodeAreasCm2: { 0: 25 } });
    const connecting = client.connect();
    for (let i = 0; i < 50 && client.state !== 'ready'; i++) await clock.advance(10);
    await connecting;
    const dir = tempDir();
    const store = await FileRecordStore.open(dir);
    const engine = new SessionEngine({ device: client, store, clock });
    const starting = engine.start(plan({ ...PROGRAM, durationMs: 20_000 }), { participant: 'p01' });
    await clock.advance(100);
    await starting;
    let done = false;
    void engine.finished.then(() => (done = true));
    for (let i = 0; i < 400 && !done; i++) await clock.advance(100);
    const record = await engine.finished;
    expect(record.outcome).toBe('completed');
    await store.close();
    board.destroy();

    const reopened = await FileRecordStore.open(dir);
    const full = await reopened.getFull(record.id);
    expect(full.record).toEqual(record);
    expect(full.summaries.length).toBe(1);
    const file = JSON.parse(JSON.stringify(recordToJson(full, Date.UTC(2026, 0, 2))));
    expect(v.safeParse(RecordFileSchema, file).success).toBe(true);
    expect(parseRecordFile(file).events).toEqual(full.events);
    expect(exportEventsCsv(full.events).split('\n')[0]).toContain('record_id');
    await reopened.close();
  });

  test('a writer killed with SIGKILL mid-session: every acknowledged event is on disk, and the next start closes the record as interrupted', async () => {
    const dir = tempDir();
    const writer = tsScript(join(ROOT, 'tests/cli/fixtures/journalWriter.ts'), [dir]);
    await writer.waitForLine(/^ack (\d{3,})$/); // at least 100 events acknowledged
    writer.process.kill('SIGKILL');
    await writer.exited;
    const acks = [...writer.stdout().matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
    const lastAck = Math.max(...acks);

    // The killed writer's lock is stale: a new process takes it over.
    const store = await FileRecordStore.open(dir);
    const before = await store.getFull('crash-1');
    expect(before.record.status).toBe('open');
    expect(before.events.length).toBeGreaterThanOrEqual(lastAck + 1);
    expect(before.events.map((e) => e.index)).toEqual(before.events.map((_, i) => i));
    const closed = await store.recoverInterrupted(Date.UTC(2026, 0, 3));
    expect(closed).toEqual(['crash-1']);
    const after = await store.getFull('crash-1');
    expect(after.record).toMatchObject({ status: 'closed', outcome: 'interrupted', endedWallMs: Date.UTC(2026, 0, 3) });
    expect(after.events.slice(-2).map((e) => e.kind)).toEqual(['interrupted', 'outcome']);
    // The dose comes from the summaries on disk (1000 samples a second at 5 mA).
    expect(after.record.dose[0]!.activeMs).toBeGreaterThan(0);
    expect(v.safeParse(RecordFileSchema, JSON.parse(JSON.stringify(recordToJson(after, 0)))).success).toBe(true);
    await store.close();
  });

  test('an unacknowledged torn last line is dropped (and cut off); a damaged line before the end is refused', async () => {
    const dir = tempDir();
    const store = await FileRecordStore.open(dir);
    await store.createRecord(recordOf('t'));
    for (let i = 0; i < 3; i++) await store.appendEvent(ev('t', i));
    await store.close();
    const path = join(dir, 't.jsonl');
    const good = readFileSync(path, 'utf8');
    appendFileSync(path, '{"entry":"event","event":{"kind":"warn');
    const reopened = await FileRecordStore.open(dir);
    expect((await reopened.getFull('t')).events.length).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe(good);
    await reopened.appendEvent(ev('t', 3)); // appends after the cut, on a line of its own
    expect((await reopened.getFull('t')).events.length).toBe(4);
    await reopened.close();

    writeFileSync(path, good.replace('"e1"', '"e1'));
    await expect(FileRecordStore.open(dir)).rejects.toThrow(/line 3 is not valid JSON/);
  });

  test('a journal whose header never reached the disk whole is set aside, not loaded', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'half.jsonl'), '{"entry":"header","record":{"id":"ha');
    const store = await FileRecordStore.open(dir);
    expect(await store.listRecords()).toEqual([]);
    expect(readdirSync(dir)).toContain('half.jsonl.unacknowledged');
    await store.close();
  });

  test('one process per directory: a live owner is refused, naming its pid', async () => {
    const dir = tempDir();
    const store = await FileRecordStore.open(dir);
    // The parent of this test process is alive and is not us.
    await expect(FileRecordStore.open(dir, { pid: process.ppid })).rejects.toThrow(DirectoryLockedError);
    await store.close();
    const next = await FileRecordStore.open(dir, { pid: process.ppid });
    await next.close();
  });
});

/**
 * Lab sync against a mocked lab server (MSW 2, msw/node): success, 5xx then success, timeout, 409 conflict,
 * offline then online, malformed replies, permanent refusals, Retry-After, and a queue that survives a
 * reload. Time is virtual: backoff and timeouts run on the VirtualClock.
 */
import '../storage/helpers.ts';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../hardware-mock/src/clock.ts';
import { parseRecordFile } from '../../src/lib/session/exportRecordJson.ts';
import { openStimbenchDb } from '../../src/lib/storage/openStimbenchDb.ts';
import { RecordStore } from '../../src/lib/storage/RecordStore.ts';
import { SessionRecorder } from '../../src/lib/session/SessionRecorder.ts';
import type { Connectivity } from '../../src/lib/sync/connectivity.ts';
import { LabSync, type LabSyncOptions } from '../../src/lib/sync/LabSync.ts';
import { checkSyncSettings } from '../../src/lib/sync/checkSyncSettings.ts';
import { freshDb, recordOf } from '../storage/helpers.ts';

const URL = 'https://lab.example.org/api/records';
const TOKEN = 'secret-token';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Seen {
  auth: string | null;
  key: string | null;
  type: string | null;
  body: unknown;
}

class FakeConnectivity implements Connectivity {
  online = true;
  #listeners = new Set<() => void>();
  isOnline() {
    return this.online;
  }
  onOnline(listener: () => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  goOnline() {
    this.online = true;
    for (const l of this.#listeners) l();
  }
}

async function setup(options: Partial<LabSyncOptions> = {}) {
  const clock = new VirtualClock();
  const { db, name } = await freshDb('sync');
  const records = new RecordStore(db);
  const recorder = await SessionRecorder.create(records, clock, recordOf('rec-1'));
  await recorder.append({ kind: 'user', action: 'start' });
  const closed = await recorder.close('completed', null, 'done', 10_000);
  const connectivity = new FakeConnectivity();
  const sync = new LabSync({
    db,
    records,
    clock,
    settings: async () => checkSyncSettings({ serverUrl: URL, token: TOKEN }),
    random: () => 0.5,
    connectivity,
    timeoutMs: 10_000,
    baseDelayMs: 4_000,
    maxDelayMs: 60_000,
    ...options,
  });
  const seen: Seen[] = [];
  const record = async (request: Request) => {
    seen.push({ auth: request.headers.get('authorization'), key: request.headers.get('idempotency-key'), type: request.headers.get('content-type'), body: await request.json() });
  };
  /** Let real async work (MSW, IndexedDB) finish without moving virtual time. */
  const drain = async () => {
    for (let i = 0; i < 30; i++) await clock.settle();
  };
  return { clock, db, name, records, sync, connectivity, seen, record, drain, recordId: closed.id };
}

describe('LabSync with a mocked lab server', () => {
  test('success: POSTed as the record JSON with bearer token and idempotency key; delivered', async () => {
    const t = await setup();
    server.use(
      http.post(URL, async ({ request }) => {
        await t.record(request);
        return HttpResponse.json({ id: 'rec-1', storedAt: '2026-01-01' }, { status: 201 });
      }),
    );
    await t.sync.enqueue(t.recordId);
    await t.sync.syncNow();
    expect(t.seen).toHaveLength(1);
    expect(t.seen[0]).toMatchObject({ auth: `Bearer ${TOKEN}`, key: 'rec-1', type: 'application/json' });
    const file = parseRecordFile(t.seen[0]!.body);
    expect(file.record.id).toBe('rec-1');
    expect(file.events.at(-1)).toMatchObject({ kind: 'outcome', outcome: 'completed' });
    expect(await t.sync.status('rec-1')).toMatchObject({ state: 'delivered', attempts: 1, lastHttpStatus: 201, warnings: [] });
    t.db.close();
  });

  test('5xx then success: retried after an exponential, jittered delay on the clock', async () => {
    const t = await setup();
    let calls = 0;
    server.use(
      http.post(URL, () => {
        calls++;
        return calls === 1 ? new HttpResponse('down', { status: 503 }) : HttpResponse.json({ id: 'rec-1' });
      }),
    );
    await t.sync.enqueue(t.recordId);
    t.sync.start();
    await t.drain();
    const pending = (await t.sync.status('rec-1'))!;
    expect(pending).toMatchObject({ state: 'pending', attempts: 1, lastHttpStatus: 503 });
    // random() = 0.5 → 4000/2 + 0.5·4000/2 = 3000 ms
    expect(pending.nextAttemptWallMs - pending.lastAttemptWallMs!).toBe(3_000);
    await t.clock.advance(2_999);
    await t.drain();
    expect(calls).toBe(1);
    await t.clock.advance(1);
    await t.drain();
    expect(calls).toBe(2);
    expect(await t.sync.status('rec-1')).toMatchObject({ state: 'delivered', attempts: 2 });
    t.sync.stop();
    t.db.close();
  });

  test('timeout: an unanswered request is abandoned after timeoutMs and retried', async () => {
    const t = await setup();
    let calls = 0;
    server.use(
      http.post(URL, async () => {
        calls++;
        if (calls === 1) await new Promise(() => {}); // never answers
        return HttpResponse.json({ id: 'rec-1' });
      }),
    );
    await t.sync.enqueue(t.recordId);
    t.sync.start();
    await t.drain();
    expect(calls).toBe(1);
    expect((await t.sync.status('rec-1'))!.attempts).toBe(0);
    await t.clock.advance(10_000);
    await t.drain();
    const afterTimeout = (await t.sync.status('rec-1'))!;
    expect(afterTimeout).toMatchObject({ state: 'pending', attempts: 1, lastHttpStatus: null });
    expect(afterTimeout.lastError).toMatch(/within 10000 ms/);
    await t.clock.advance(3_000);
    await t.drain();
    expect(await t.sync.status('rec-1')).toMatchObject({ state: 'delivered', attempts: 2 });
    t.sync.stop();
    t.db.close();
  });

  test('409: the server holds a different record under this id → conflict, not delivered, not retried', async () => {
    const t = await setup();
    let calls = 0;
    server.use(
      http.post(URL, () => {
        calls++;
        return HttpResponse.json({ error: 'CONFLICT', message: 'different record' }, { status: 409 });
      }),
    );
    await t.sync.enqueue(t.recordId);
    t.sync.start();
    await t.drain();
    const entry = (await t.sync.status('rec-1'))!;
    expect(entry).toMatchObject({ state: 'conflict', lastHttpStatus: 409, deliveredWallMs: null });
    expect(entry.lastError).toMatch(/different record under this id/);
    await t.clock.advance(120_000);
    await t.drain();
    expect(calls).toBe(1);
    t.sync.stop();
    t.db.close();
  });

  test('the same record again (the first reply was lost): 200 with duplicate → delivered, with a note', async () => {
    const t = await setup();
    server.use(http.post(URL, () => HttpResponse.json({ id: 'rec-1', duplicate: true })));
    await t.sync.enqueue(t.recordId);
    await t.sync.syncNow();
    const entry = (await t.sync.status('rec-1'))!;
    expect(entry).toMatchObject({ state: 'delivered', lastHttpStatus: 200 });
    expect(entry.warnings.join()).toMatch(/already had this record/);
    t.db.close();
  });

  test('offline then online: nothing is attempted offline; the online event sends it', async () => {
    const t = await setup();
    t.connectivity.online = false;
    server.use(
      http.post(URL, async ({ request }) => {
        await t.record(request);
        return HttpResponse.json({ id: 'rec-1' });
      }),
    );
    await t.sync.enqueue(t.recordId);
    t.sync.start();
    await t.drain();
    await t.clock.advance(3_600_000);
    await t.drain();
    expect(t.seen).toHaveLength(0);
    expect(await t.sync.status('rec-1')).toMatchObject({ state: 'pending', attempts: 0 });
    t.connectivity.goOnline();
    await t.drain();
    expect(t.seen).toHaveLength(1);
    expect(await t.sync.status('rec-1')).toMatchObject({ state: 'delivered', attempts: 1 });
    t.sync.stop();
    t.db.close();
  });

  test('a network error (the link drops mid-request) is retried', async () => {
    const t = await setup();
    let calls = 0;
    server.use(
      http.post(URL, () => {
        calls++;
        return calls === 1 ? HttpResponse.error() : HttpResponse.json({ id: 'rec-1' });
      }),
    );
    await t.sync.enqueue(t.recordId);
    await t.sync.syncNow();
    expect(await t.sync.status('rec-1')).toMatchObject({ state: 'pending', attempts: 1 });
    await t.clock.advance(3_000);
    await t.sync.syncNow();
    expect(await t.sync.status('rec-1')).toMatchObject({ state: 'delivered', attempts: 2 });
    t.db.close();
  });

  test('malformed 2xx replies are not a confirmation: retried, with a warning each time', async () => {
    const t = await setup();
    const replies = [
      () => new HttpResponse('OK', { status: 200 }),
      () => HttpResponse.json({ status: 'stored' }),
      () => HttpResponse.json({ id: 'someone-else' }),
      () => HttpResponse.json({ id: 'rec-1' }),
    ];
    let calls = 0;
    server.use(http.post(URL, () => replies[calls++]!()));
    await t.sync.enqueue(t.recordId);
    for (let i = 0; i < 3; i++) {
      await t.sync.syncNow();
      const entry = (await t.sync.status('rec-1'))!;
      expect(entry.state).toBe('pending');
      expect(entry.warnings).toHaveLength(i + 1);
      await t.clock.advance(entry.nextAttemptWallMs - t.clock.wallNow());
    }
    await t.sync.syncNow();
    const entry = (await t.sync.status('rec-1'))!;
    expect(entry).toMatchObject({ state: 'delivered', attempts: 4 });
    expect(entry.warnings[0]).toMatch(/not JSON/);
    expect(entry.warnings[1]).toMatch(/expected \{"id": "rec-1"\}/);
    expect(entry.warnings[2]).toMatch(/someone-else/);
    t.db.close();
  });

  test('a 4xx refusal is a permanent failure, recorded and not retried; re-queuing after a fix delivers', async () => {
    const t = await setup();
    let calls = 0;
    server.use(
      http.post(URL, () => {
        calls++;
        return calls === 1 ? new HttpResponse('bad token', { status: 401 }) : HttpResponse.json({ id: 'rec-1' });
      }),
    );
    await t.sync.enqueue(t.recordId);
    t.sync.start();
    await t.drain();
    expect(await t.sync.status('rec-1')).toMatchObject({ state: 'failed', lastHttpStatus: 401, lastError: 'HTTP 401: bad token' });
    await t.clock.advance(3_600_000);
    await t.drain();
    expect(calls).toBe(1);
    await t.sync.enqueue(t.recordId);
    await t.drain();
    expect(await t.sync.status('rec-1')).toMatchObject({ state: 'delivered' });
    t.sync.stop();
    t.db.close();
  });

  test('429 with Retry-After waits at least that long', async () => {
    const t = await setup();
    let calls = 0;
    server.use(
      http.post(URL, () => {
        calls++;
        return calls === 1 ? new HttpResponse(null, { status: 429, headers: { 'Retry-After': '40' } }) : HttpResponse.json({ id: 'rec-1' });
      }),
    );
    await t.sync.enqueue(t.recordId);
    await t.sync.syncNow();
    const entry = (await t.sync.status('rec-1'))!;
    expect(entry.nextAttemptWallMs - entry.lastAttemptWallMs!).toBe(40_000);
    t.db.close();
  });

  test('the queue is durable: an entry queued offline is delivered after a reload', async () => {
    const t = await setup();
    t.connectivity.online = false;
    await t.sync.enqueue(t.recordId);
    t.sync.start();
    await t.drain();
    t.sync.stop();
    t.db.close();
    const db = await openStimbenchDb({ name: t.name });
    server.use(http.post(URL, () => HttpResponse.json({ id: 'rec-1' })));
    const again = new LabSync({ db, records: new RecordStore(db), clock: t.clock, settings: async () => checkSyncSettings({ serverUrl: URL, token: TOKEN }) });
    expect(await again.status('rec-1')).toMatchObject({ state: 'pending' });
    again.start();
    await t.drain();
    expect(await again.status('rec-1')).toMatchObject({ state: 'delivered' });
    again.stop();
    db.close();
  });

  test('only finished records are queued; without settings nothing is sent', async () => {
    const t = await setup({ settings: async () => null });
    await t.records.createRecord(recordOf('still-open'));
    await expect(t.sync.enqueue('still-open')).rejects.toMatchObject({ code: 'RECORD_OPEN' });
    await expect(t.sync.enqueue('missing')).rejects.toMatchObject({ code: 'RECORD_NOT_FOUND' });
    await t.sync.enqueue(t.recordId);
    await t.sync.syncNow(); // no handler registered: any request would fail the test (onUnhandledRequest: 'error')
    expect(await t.sync.status('rec-1')).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await t.sync.enqueueFinished()).toBe(0);
    t.db.close();
  });
});

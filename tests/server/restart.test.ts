/**
 * Failure story: the lab server is killed (SIGKILL) in the middle of an ingest and started again on the
 * same data directory; the app's LabSync retries, and the record is stored exactly once. Two moments:
 * after the commit but before the reply (the bench cannot know it was stored), and inside the
 * transaction (nothing was stored). The servers run in child processes (labChild.ts) on the embedded
 * database; LabSync runs here on a virtual clock, posting over real HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { VirtualClock } from '../../hardware-mock/src/clock.ts';
import { recordToJson } from '../../src/lib/session/exportRecordJson.ts';
import { RecordStore } from '../../src/lib/storage/RecordStore.ts';
import { SessionRecorder } from '../../src/lib/session/SessionRecorder.ts';
import { LabSync } from '../../src/lib/sync/LabSync.ts';
import type { SyncSettings } from '../../src/lib/sync/types.ts';
import { freshDb, recordOf, telemetry } from '../storage/helpers.ts';
import { freePort, startLabChild, stopLabChild, type ChildMode, type LabChild } from './labChildProcess.ts';

const children = new Set<LabChild>();
const dirs: string[] = [];
afterEach(async () => {
  for (const child of children) await stopLabChild(child);
  children.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startChild(dataDir: string, port: number, mode: ChildMode): Promise<LabChild> {
  const child = await startLabChild(dataDir, port, mode);
  children.add(child);
  return child;
}

async function closedRecord(id: string) {
  const clock = new VirtualClock();
  const { db } = await freshDb('restart');
  const records = new RecordStore(db);
  const recorder = await SessionRecorder.create(records, clock, recordOf(id));
  await recorder.append({ kind: 'user', action: 'start' });
  for (let s = 0; s < 3; s++) recorder.telemetry(telemetry(0, 1000 + s * 1000, 1000, (ms) => 4000 + (Math.floor(ms) % 5) * 250));
  await recorder.close('completed', null, 'done', 4000);
  return { clock, db, records };
}

async function storedIds(url: string): Promise<string[]> {
  const login = await fetch(`${url}/api/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'restart-test-password' }) });
  const { token } = (await login.json()) as { token: string };
  const list = await fetch(`${url}/api/admin/sessions`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await list.json()) as { sessions: { id: string }[] }).sessions.map((s) => s.id);
}

test.each(['kill-after-commit', 'kill-before-commit'] as const)(
  'server SIGKILLed mid-ingest (%s) and restarted: LabSync retries and the record is stored exactly once',
  async (mode) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stimbench-lab-restart-'));
    dirs.push(dataDir);
    const port = await freePort();
    const first = await startChild(dataDir, port, mode);
    expect(first.benchToken).toMatch(/^sbb_/);
    const settings: SyncSettings = { serverUrl: `${first.url}/api/records`, token: first.benchToken! };
    const { clock, db, records } = await closedRecord('rec-restart');
    const sync = new LabSync({ db, records, clock, settings: async () => settings, random: () => 0.5, baseDelayMs: 1_000 });

    await sync.enqueue('rec-restart');
    await sync.syncNow();
    expect(await first.exited).toBe('SIGKILL');
    const afterKill = (await sync.status('rec-restart'))!;
    expect(afterKill).toMatchObject({ state: 'pending', attempts: 1, lastHttpStatus: null });

    const second = await startChild(dataDir, port, 'serve');
    expect(second.benchToken).toBeNull(); // the bench from the first run survived the kill
    await clock.advance(afterKill.nextAttemptWallMs - clock.wallNow());
    await sync.syncNow();
    const delivered = (await sync.status('rec-restart'))!;
    expect(delivered).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(delivered.lastHttpStatus).toBe(mode === 'kill-after-commit' ? 200 : 201);
    expect(await storedIds(second.url)).toEqual(['rec-restart']);

    // The same document posted again by hand (as a second bench sync would) changes nothing.
    const again = await fetch(settings.serverUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${settings.token}`, 'Idempotency-Key': 'rec-restart', 'Content-Type': 'application/json' },
      body: JSON.stringify(recordToJson(await records.getFull('rec-restart'), clock.wallNow())),
    });
    expect(await again.json()).toEqual({ id: 'rec-restart', duplicate: true });
    expect(await storedIds(second.url)).toEqual(['rec-restart']);
    second.child.kill('SIGTERM');
    await second.exited;
    db.close();
  },
  240_000,
);

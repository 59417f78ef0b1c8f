/**
 * Failure story, end to end: the lab server is killed (SIGKILL) in the middle of the app's sync and
 * started again on the same data directory and port. The built app in Chromium runs a short session on
 * the simulated board with the lab server set in Settings; the server (a child process on the embedded
 * database, tests/server/labChild.ts) stores the record and is killed before it can answer, so the app
 * cannot know it was stored and History does not say Delivered. Once the server is back, the app's sync
 * retries on its own (same Idempotency-Key): the server answers "duplicate", the record is stored exactly
 * once (the one the first server stored), and History says Delivered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { freePort, startLabChild, stopLabChild, type LabChild } from '../server/labChildProcess.ts';
import { boardSnapshot, chooseElectrode, connectSimulated, waitUntil } from './app.ts';
import { screenshot, useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

const dataDir = mkdtempSync(join(tmpdir(), 'stimbench-lab-killed-'));
const running: LabChild[] = [];
afterAll(async () => {
  for (const lab of running) await stopLabChild(lab);
  rmSync(dataDir, { recursive: true, force: true });
});

interface StoredSession {
  id: string;
  outcome: string;
  receivedWallMs: number;
  painPost: number | null;
}

/** Every session the lab server holds, read through its admin API (the administrator labChild.ts creates). */
async function storedSessions(url: string): Promise<StoredSession[]> {
  const login = await fetch(`${url}/api/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'restart-test-password' }) });
  const { token } = (await login.json()) as { token: string };
  const response = await fetch(`${url}/api/admin/export.json`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await response.json()) as { sessions: StoredSession[] }).sessions;
}

describe('Lab server killed mid-sync (built app, simulated board, server in a child process)', () => {
  test('SIGKILL after the record is stored but before the answer; restarted on the same data: the app retries, the record is stored once, History says Delivered', async () => {
    const origin = new URL(baseUrl).origin;
    const port = await freePort();
    const first = await startLabChild(dataDir, port, 'kill-after-commit', origin);
    running.push(first);
    expect(first.benchToken).toMatch(/^sbb_/);

    await page.getByTestId('nav-settings').click();
    const url = page.getByLabel('Server URL');
    await url.fill(`${first.url}/api/records`);
    await url.press('Tab');
    const token = page.getByLabel('Token');
    await token.fill(first.benchToken!);
    await token.press('Tab');

    await connectSimulated(page);
    await page.getByTestId('nav-session').click();
    await page.getByTestId('preset-conventional-tens').check();
    await chooseElectrode(page, 0);
    await page.getByTestId('titrate').uncheck();
    const target = page.locator('#session-target');
    await target.fill('4');
    await target.press('Tab');
    await page.getByTestId('session-length-seconds').check();
    const length = page.locator('#session-duration');
    await length.fill('18');
    await length.press('Tab');
    await page.getByTestId('session-start').click();
    await waitUntil(() => boardSnapshot(page), (s) => (s.outputUa[0] ?? 0) > 0, 15_000, 'output to start');
    await page.getByTestId('session-outcome').waitFor({ timeout: 60_000 });
    // Saving the rating makes the record final and starts the sync: the first server stores it and dies.
    await page.locator('input[name="pain-post"][value="3"]').check();
    await page.getByRole('button', { name: 'Save rating' }).click();
    expect(await first.exited).toBe('SIGKILL');

    await page.getByTestId('nav-history').click();
    const row = page.locator('[data-testid^="history-sync-"]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const recordId = ((await row.first().getAttribute('data-testid')) ?? '').replace('history-sync-', '');
    // The app never got an answer: it must not claim the record was delivered.
    expect(await row.first().textContent()).not.toMatch(/Delivered/);
    await screenshot(page, 'lab-killed-waiting');

    const restartedAtMs = Date.now();
    const second = await startLabChild(dataDir, port, 'serve', origin);
    running.push(second);
    expect(second.benchToken).toBeNull(); // the same bench, kept through the kill
    await waitUntil(async () => (await row.first().textContent()) ?? '', (t) => /Delivered/.test(t), 90_000, 'History to show Delivered after the retry');
    await screenshot(page, 'lab-killed-delivered');

    const stored = await storedSessions(second.url);
    expect(stored.map((s) => s.id)).toEqual([recordId]);
    // Stored by the first server, before it was killed: the retry found it and changed nothing.
    expect(stored[0]!.receivedWallMs).toBeLessThan(restartedAtMs);
    expect(stored[0]).toMatchObject({ outcome: 'completed', painPost: 3 });
  }, 240_000);
});

/**
 * The app syncs to a real lab server end to end: the built app in Chromium runs a short session on the
 * simulated board with the lab server set in Settings, and is rated afterwards (the app sends a record
 * once it is final); the server (started here, embedded database,
 * CORS open to the app's origin only) stores the record once, with the dose the board delivered, and
 * History says Delivered.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { ensureAdmin } from '../../src/server/admin/admins.ts';
import { issueBench } from '../../src/server/admin/benches.ts';
import { startLabServer, type RunningLabServer } from '../../src/server/startLabServer.ts';
import { boardSnapshot, chooseElectrode, connectSimulated, waitUntil } from './app.ts';
import { screenshot, useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

let lab: RunningLabServer;
let benchToken = '';
let adminToken = '';

beforeAll(async () => {
  lab = await startLabServer({ port: 0, host: '127.0.0.1', dataDir: null, benchOrigins: [new URL(baseUrl).origin], log: () => {} });
  await ensureAdmin(lab.db, 'admin', 'e2e-lab-password', Date.now());
  benchToken = (await issueBench(lab.db, 'e2e bench', Date.now()))!.token;
  const login = await fetch(`${lab.url}/api/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'e2e-lab-password' }) });
  adminToken = ((await login.json()) as { token: string }).token;
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

interface LabSession {
  id: string;
  painPost: number | null;
  outcome: string;
  activeMs: number;
  peakUa: number;
  benchName: string;
}

async function labSessions(): Promise<LabSession[]> {
  const response = await fetch(`${lab.url}/api/admin/sessions`, { headers: { Authorization: `Bearer ${adminToken}` } });
  return ((await response.json()) as { sessions: LabSession[] }).sessions;
}

describe('Lab sync to a real lab server (built app, simulated board)', () => {
  test('a finished session arrives at the lab server once, with the delivered dose; History says Delivered', async () => {
    await page.getByTestId('nav-settings').click();
    const url = page.getByLabel('Server URL');
    await url.fill(`${lab.url}/api/records`);
    await url.press('Tab');
    const token = page.getByLabel('Token');
    await token.fill(benchToken);
    await token.press('Tab');

    await connectSimulated(page);
    await page.getByTestId('nav-session').click();
    await page.getByTestId('preset-conventional-tens').check();
    await chooseElectrode(page, 0);
    await page.getByTestId('titrate').uncheck();
    const target = page.locator('#session-target');
    await target.fill('4');
    await target.press('Tab');
    // Test runs are seconds long: switch the length field from minutes to seconds.
    await page.getByTestId('session-length-seconds').check();
    const length = page.locator('#session-duration');
    await length.fill('18');
    await length.press('Tab');
    await page.getByTestId('session-start').click();
    await waitUntil(() => boardSnapshot(page), (s) => (s.outputUa[0] ?? 0) > 0, 15_000, 'output to start');
    await page.getByTestId('session-outcome').waitFor({ timeout: 60_000 });
    // The app hands a record to sync once it is final: after the post-session pain rating.
    await page.locator('input[name="pain-post"][value="2"]').check();
    await page.getByRole('button', { name: 'Save rating' }).click();

    const stored = await waitUntil(labSessions, (s) => s.length > 0, 30_000, 'the record at the lab server');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ outcome: 'completed', benchName: 'e2e bench', peakUa: 4000, painPost: 2 });
    // 18 s with ramps: current flowed for most of it, never longer than the session.
    expect(stored[0]!.activeMs).toBeGreaterThan(9_000);
    expect(stored[0]!.activeMs).toBeLessThanOrEqual(18_100);

    await page.getByTestId('nav-history').click();
    const sync = page.getByTestId(`history-sync-${stored[0]!.id}`);
    await waitUntil(async () => (await sync.textContent()) ?? '', (t) => /Delivered/.test(t), 20_000, 'History to show Delivered');
    await screenshot(page, 'lab-sync-delivered');
    expect(await labSessions()).toHaveLength(1);
  }, 180_000);
});

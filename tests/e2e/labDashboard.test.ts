/**
 * The lab dashboard in Chromium against a lab server started here (embedded database, dashboard built by
 * the server's own start-up step): log in through the page, filter the sessions by participant and see
 * that participant's dose (not the other's), open the participant's page (dose, pain, faults), download
 * the filtered CSV, issue and revoke a bench token, assign a programme and read the participant's
 * adherence per week, page through the audit log; and the page runs under its CSP with no violation.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ensureAdmin } from '../../src/server/admin/admins.ts';
import { audit } from '../../src/server/admin/audit.ts';
import { issueBench } from '../../src/server/admin/benches.ts';
import { createLabApp } from '../../src/server/app.ts';
import { dashboardIsCurrent, ensureDashboardBuilt } from '../../src/server/static/dashboardBuild.ts';
import { startLabServer, type RunningLabServer } from '../../src/server/startLabServer.ts';
import { formatCharge, formatSpan } from '../../src/ui/components/history/formatRecord.ts';
import { makeRecordFile } from '../server/recordFixture.ts';
import { launch, screenshot } from './browser.ts';
import { waitUntil } from './app.ts';

const PASSWORD = 'e2e-dashboard-password';
let lab: RunningLabServer;
let browser: Browser;
let page: Page;
let adminToken = '';
let benchToken = '';
/** Everything the page's CSP refused, and every console error, during one test. */
let problems: string[] = [];

interface Summary {
  chargeUc: number;
  activeMs: number;
  faults: number;
  estops: number;
}

async function adminGet<T>(path: string): Promise<T> {
  const response = await fetch(`${lab.url}${path}`, { headers: { Authorization: `Bearer ${adminToken}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  lab = await startLabServer({ port: 0, host: '127.0.0.1', dataDir: null, log: () => {} });
  await lab.dashboardReady;
  await ensureAdmin(lab.db, 'admin', PASSWORD, Date.now());
  const bench = (await issueBench(lab.db, 'Room 1 bench', Date.now()))!;
  benchToken = bench.token;
  const first = await makeRecordFile('rec-dash-1', { participant: 'p-001', presetId: 'conv-10', seconds: 3 });
  const second = await makeRecordFile('rec-dash-2', { participant: 'p-002', presetId: 'burst-2', seconds: 6, offsetUa: 2000, faults: 1, estops: 1 });
  first.record.pain = { pre: 6, post: 3 };
  second.record.pain = { pre: 4, post: 4 };
  for (const file of [first, second]) {
    const response = await fetch(`${lab.url}/api/records`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bench.token}`, 'Idempotency-Key': file.record.id, 'Content-Type': 'application/json' },
      body: JSON.stringify(file),
    });
    expect(response.status, await response.clone().text()).toBe(201);
  }
  const login = await fetch(`${lab.url}/api/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  adminToken = ((await login.json()) as { token: string }).token;
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await lab?.close();
});

beforeEach(async () => {
  problems = [];
  page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { cspViolations: string[] }).cspViolations ??= [];
      (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.setViewportSize({ width: 1280, height: 900 });
});

afterEach(async () => {
  await page?.context().close();
});

async function cspViolations(): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
}

/** At a phone's width nothing widens the page: wide tables scroll inside their own region. */
async function expectNoSidewaysScroll(): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
}

async function logIn(): Promise<void> {
  await page.goto(`${lab.url}/`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Sessions' }).waitFor();
}

describe('Lab dashboard (served by the lab server, Chromium)', () => {
  test('log in, filter by participant: that participant’s dose; the participant page; the filtered CSV download', async () => {
    await logIn();
    await waitUntil(() => page.getByTestId('session-count').textContent(), (t) => t === '2 sessions', 15_000, 'both sessions listed');
    await screenshot(page, 'lab-dashboard-sessions-1280');

    const p1 = await adminGet<Summary>('/api/admin/participants/p-001/summary');
    const p2 = await adminGet<Summary>('/api/admin/participants/p-002/summary');
    expect(formatCharge(p1.chargeUc)).not.toBe(formatCharge(p2.chargeUc));

    await page.getByLabel('Participant').fill('p-001');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitUntil(() => page.getByTestId('session-count').textContent(), (t) => t === '1 session', 15_000, 'the filtered list');
    const row = page.getByTestId('session-row-rec-dash-1');
    await expect(row.getByTestId('session-charge').textContent()).resolves.toBe(formatCharge(p1.chargeUc));
    expect(await row.textContent()).toContain('6/10 → 3/10');
    expect(await page.getByTestId('session-row-rec-dash-2').count()).toBe(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('stimbench-sessions.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('rec-dash-1');
    expect(csv).not.toContain('rec-dash-2');

    await row.getByRole('link', { name: 'p-001' }).click();
    await page.getByTestId('participant-summary').waitFor();
    expect(await page.getByTestId('summary-charge').textContent()).toBe(formatCharge(p1.chargeUc));
    expect(await page.getByTestId('summary-active').textContent()).toBe(formatSpan(p1.activeMs));
    expect(await page.getByTestId('summary-pain').textContent()).toBe('6/10 → 3/10');
    expect(await page.locator('.u-wrap canvas').count()).toBeGreaterThan(0);
    await screenshot(page, 'lab-dashboard-participant-1280');

    await page.goto(`${lab.url}/dashboard/#/participant/p-002`);
    await waitUntil(() => page.getByTestId('summary-charge').textContent(), (t) => t === formatCharge(p2.chargeUc), 15_000, 'participant p-002’s dose');
    expect(await page.getByTestId('summary-faults').textContent()).toBe(String(p2.faults));
    expect(await page.getByTestId('summary-estops').textContent()).toBe(String(p2.estops));
    expect(p2.faults).toBe(1);
    expect(p2.estops).toBe(1);

    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'lab-dashboard-participant-400');
    await expectNoSidewaysScroll();
    await page.goto(`${lab.url}/dashboard/#/sessions`);
    await page.getByTestId('session-table').waitFor();
    await screenshot(page, 'lab-dashboard-sessions-400');
    await expectNoSidewaysScroll();

    expect(await cspViolations()).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  test('benches: last seen and firmware; a token is shown once when issued, and a revoked token is refused', async () => {
    await logIn();
    await page.getByRole('link', { name: 'Benches' }).click();
    const room1 = page.getByTestId('bench-row-Room 1 bench');
    await waitUntil(() => room1.textContent(), (t) => (t ?? '').includes('active'), 15_000, 'the bench list');
    const benches = await adminGet<{ benches: { name: string; lastFirmware: string | null; records: number }[] }>('/api/admin/benches');
    const listed = benches.benches.find((b) => b.name === 'Room 1 bench')!;
    expect(listed.lastFirmware).not.toBeNull();
    expect(await room1.textContent()).toContain(listed.lastFirmware!);

    await page.getByLabel('New bench name').fill('Room 2 bench');
    await page.getByRole('button', { name: 'Issue bench token' }).click();
    const token = await page.getByLabel('Bench token').inputValue();
    expect(token).toMatch(/^sbb/);
    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'lab-dashboard-benches-400');
    await expectNoSidewaysScroll();
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, 'lab-dashboard-benches-1280');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke the token of bench Room 2 bench' }).click();
    await waitUntil(() => page.getByTestId('bench-row-Room 2 bench').textContent(), (t) => (t ?? '').includes('revoked'), 15_000, 'the revoked bench');
    expect(await page.getByTestId('issued-token').count()).toBe(0);
    const file = await makeRecordFile('rec-dash-3', { participant: 'p-003' });
    const refused = await fetch(`${lab.url}/api/records`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': 'rec-dash-3', 'Content-Type': 'application/json' },
      body: JSON.stringify(file),
    });
    expect(refused.status).toBe(401);

    expect(await cspViolations()).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  test('assign a programme to a participant: adherence per week, as the server computes it; the assignment in the audit log, paged', async () => {
    // Started a week ago in UTC: week 1 (09:00 daily, 12-hour windows) is wholly past. One session done on day 3.
    const DAY_MS = 86_400_000;
    const startMs = Math.floor(Date.now() / DAY_MS) * DAY_MS - 7 * DAY_MS;
    const startDay = new Date(startMs).toISOString().slice(0, 10);
    const done = await makeRecordFile('rec-dash-programme', { participant: 'p-001', presetId: 'pdn-2hz-30min', createdWallMs: startMs + 2 * DAY_MS + 10 * 3_600_000 });
    const posted = await fetch(`${lab.url}/api/records`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${benchToken}`, 'Idempotency-Key': done.record.id, 'Content-Type': 'application/json' },
      body: JSON.stringify(done),
    });
    expect(posted.status).toBe(201);

    // More than one page of audit history before the assignment: 60 entries written straight to the log.
    for (let i = 0; i < 60; i++) await audit(lab.db, null, 'login.failed', { username: `guess-${i}`, address: '192.0.2.1' }, Date.now());

    await logIn();
    await page.goto(`${lab.url}/dashboard/#/participant/p-001`);
    await page.getByTestId('participant-summary').waitFor();
    await page.getByRole('button', { name: 'Assign a programme' }).click();
    await page.getByLabel('Programme', { exact: true }).selectOption('pdn-4-week');
    await page.getByLabel('First day').fill(startDay);
    await page.getByLabel('Time zone of the slot times').fill('UTC');
    await page.getByRole('button', { name: 'Assign programme' }).click();
    const week1 = page.getByTestId('adherence-week-1');
    await week1.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('assigned-programme').textContent()).toContain(`from ${startDay} (UTC time)`);

    const report = await adminGet<{ weeks: { week: number; dueSoFar: number; completed: number; partial: number; missed: number; scheduled: number }[]; totals: { completed: number } }>(
      '/api/admin/participants/p-001/adherence',
    );
    expect(report.weeks[0]).toMatchObject({ week: 1, scheduled: 7, dueSoFar: 7, completed: 1, partial: 0, missed: 6 });
    for (const w of report.weeks) {
      const cells = await page.getByTestId(`adherence-week-${w.week}`).locator('td').allTextContents();
      expect(cells.slice(2).map(Number)).toEqual([w.dueSoFar, w.completed, w.partial, w.missed, w.scheduled]);
    }
    expect(await page.getByTestId('adherence-totals').textContent()).toMatch(new RegExp(`So far ${report.totals.completed} of \\d+ scheduled sessions done`));
    await screenshot(page, 'lab-dashboard-adherence-1280');
    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'lab-dashboard-adherence-400');
    await expectNoSidewaysScroll();
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('link', { name: 'Audit log' }).click();
    const rows = page.getByTestId('audit-row');
    await waitUntil(() => rows.count(), (n) => n === 50, 15_000, 'a full page of the audit log');
    expect(await rows.first().getAttribute('data-action')).toBe('assignment.set');
    const first = await rows.first().locator('td').allTextContents();
    expect(first.slice(1, 3)).toEqual(['admin', 'Programme assigned']);
    expect(first[3]).toContain('programmeId: pdn-4-week');
    const newestIds: (string | null)[] = await rows.evaluateAll((els) => els.map((e) => e.textContent));
    await page.getByRole('button', { name: 'Older' }).click();
    await waitUntil(() => page.getByText('Page 2.').count(), (n) => n === 1, 15_000, 'the second page');
    await waitUntil(() => rows.first().textContent(), (t) => !newestIds.includes(t ?? null), 15_000, 'older entries');
    expect(await page.getByRole('button', { name: 'Newer' }).isEnabled()).toBe(true);
    await screenshot(page, 'lab-dashboard-audit-1280');
    await page.getByRole('button', { name: 'Newer' }).click();
    await waitUntil(() => rows.first().getAttribute('data-action'), (a) => a === 'assignment.set', 15_000, 'back to the newest page');
    await page.setViewportSize({ width: 400, height: 900 });
    await expectNoSidewaysScroll();

    expect(await cspViolations()).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  test('the page is served with a strict CSP (own scripts and styles only), and the violation listener does catch an inline style', async () => {
    const response = await page.goto(`${lab.url}/dashboard/`);
    const csp = response!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // The API keeps its own policy: nothing to load or run.
    const api = await fetch(`${lab.url}/api/health`);
    expect(api.headers.get('content-security-policy')).toMatch(/^default-src 'none'; frame-ancestors 'none'/);
    expect((await fetch(`${lab.url}/dashboard/../package.json`)).status).toBe(404);
    expect((await fetch(`${lab.url}/dashboard/assets/none.js`)).status).toBe(404);
    await page.getByLabel('Username').waitFor();
    expect(await cspViolations()).toEqual([]);
    // The same listener reports what the policy refuses: an inline style attribute parsed from HTML.
    await page.evaluate(() => {
      const div = document.createElement('div');
      div.innerHTML = '<p style="color: red">inline</p>';
      document.body.append(div);
    });
    await waitUntil(cspViolations, (v) => v.length > 0, 10_000, 'the deliberate inline style to be refused');
    expect((await cspViolations())[0]).toMatch(/^style-src/);
  }, 60_000);

  test('a missing dashboard is built on demand (what `npx stimbench lab` does at start); until then the page answers 503 with what to do', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'stimbench-dashboard-')), 'dist');
    try {
      expect(dashboardIsCurrent(dir)).toBe(false);
      const before = await createLabApp({ db: lab.db, dashboardDir: dir, logError: () => {} }).request('/dashboard/');
      expect(before.status).toBe(503);
      expect(((await before.json()) as { message: string }).message).toMatch(/not built yet/);

      await ensureDashboardBuilt(dir);
      expect(existsSync(join(dir, 'index.html'))).toBe(true);
      expect(dashboardIsCurrent(dir)).toBe(true);
      const after = await createLabApp({ db: lab.db, dashboardDir: dir, logError: () => {} }).request('/dashboard/');
      expect(after.status).toBe(200);
      expect(after.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await after.text()).toContain('<div id="dashboard"></div>');
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  }, 120_000);
});

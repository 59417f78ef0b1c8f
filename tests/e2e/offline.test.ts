/**
 * The installed app: after its first load it starts with no network at all (the service worker serves the
 * whole build, the simulated board's worker and the lazily loaded screens included); and a new version is
 * offered but never applied while output is on: the page is not reloaded under a stimulating session, and
 * the update goes through once the output is off.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startAppServer, type StartedAppServer } from '../../src/appserver/serveApp.ts';
import { boardSnapshot, chooseElectrode, connectSimulated, waitUntil } from './app.ts';
import { launch } from './browser.ts';

let browser: Browser;
let dir: string;
let server: StartedAppServer;
let context: BrowserContext | null = null;

beforeAll(async () => {
  // A copy of the build the e2e setup made, so a test can publish a "new version" of it.
  dir = mkdtempSync(join(tmpdir(), 'stimbench-app-'));
  cpSync('dist', dir, { recursive: true });
  server = await startAppServer({ dir, port: 0, host: '127.0.0.1' });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await context?.close();
  context = null;
});

/** Open the app, wait for its service worker, and reload so the page is controlled by it. */
async function installedPage(): Promise<Page> {
  context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}#/connect`);
  await page.getByTestId('stop-button').waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await page.getByTestId('stop-button').waitFor();
  await waitUntil(() => page.evaluate(() => navigator.serviceWorker.controller !== null), Boolean, 20_000, 'the service worker to control the page');
  return page;
}

describe('installed and offline', () => {
  test('after the first load the app starts with no network, connects the simulated board and opens every screen', async () => {
    const page = await installedPage();
    await context!.setOffline(true);
    await page.reload();
    await page.getByTestId('stop-button').waitFor();
    await connectSimulated(page);
    for (const id of ['session', 'history', 'programmes', 'check', 'settings']) {
      await page.getByTestId(`nav-${id}`).click();
      await page.locator('main h2').first().waitFor();
    }
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  }, 120_000);

  test('a new version is offered but not applied while stimulating; it applies once the output is off', async () => {
    const page = await installedPage();
    await connectSimulated(page);
    await page.getByTestId('nav-control').click();
    await chooseElectrode(page, 0);
    await page.locator('#ch0-amp').fill('5');
    await page.locator('#ch0-amp').press('Tab');
    await page.getByTestId('send-program-0').click();
    await page.getByText('Board accepted the program').waitFor();
    await page.getByTestId('start-0').click();
    await waitUntil(() => boardSnapshot(page), (s) => s.outputUa[0]! > 0, 15_000, 'output on');
    await page.evaluate(() => ((globalThis as unknown as { __samePage: boolean }).__samePage = true));

    // Publish a new version: a changed service worker, then ask the browser to look for it.
    writeFileSync(join(dir, 'sw.js'), `${readFileSync(join(dir, 'sw.js'), 'utf8')}\n// new version\n`);
    const port = new URL(server.url).port;
    await server.close();
    server = await startAppServer({ dir, port: Number(port), host: '127.0.0.1' });
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));

    await page.getByTestId('update-notice').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('update-apply').isDisabled()).toBe(true);
    expect(await page.getByTestId('update-wait').textContent()).toMatch(/once the output is off/);
    // Still the same page, still stimulating, a few seconds later.
    await page.waitForTimeout(2_000);
    expect(await page.evaluate(() => (globalThis as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
    expect((await boardSnapshot(page)).outputUa[0]).toBeGreaterThan(0);

    await page.getByTestId('stop-button').click();
    await waitUntil(() => boardSnapshot(page), (s) => s.outputUa[0] === 0, 5_000, 'output off');
    await expect.poll(() => page.getByTestId('update-apply').isEnabled(), { timeout: 10_000 }).toBe(true);
    await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), page.getByTestId('update-apply').click()]);
    await page.getByTestId('stop-button').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { __samePage?: boolean }).__samePage)).toBeUndefined();
  }, 180_000);
});

/**
 * Board check in the built app against the simulated board over the same worker link the app uses: it
 * passes on the shipped firmware (JSON and printable reports downloadable), fails on defective simulated
 * firmware (watchdog never trips; limits not enforced), will not run without the dummy-load confirmation,
 * disconnects a connected board first, and STOP during the check cuts the board's output at once.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import type { ReportFile } from '../../src/lib/conformance/index.ts';
import { boardSnapshot, connectSimulated, waitUntil } from './app.ts';
import { screenshot, useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

/** A full run takes tens of seconds of real time (watchdog and duration checks wait on the board's clock). */
const RUN_TIMEOUT_MS = 150_000;

async function openCheck(): Promise<void> {
  await page.getByTestId('nav-check').click();
  await page.getByTestId('check-run').waitFor();
}

async function runWith(firmware: string): Promise<string> {
  await page.getByTestId('check-kind-simulated').check();
  await page.getByTestId('check-firmware').selectOption(firmware);
  await page.getByTestId('check-dummy-load').check();
  await page.getByTestId('check-run').click();
  const verdict = page.getByTestId('check-verdict');
  await verdict.waitFor({ timeout: RUN_TIMEOUT_MS });
  return (await verdict.textContent()) ?? '';
}

async function download(testId: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFile((await file.path())!, 'utf8');
}

describe('Board check', () => {
  test('the shipped simulated firmware passes every check; a connected board is disconnected first; reports download', async () => {
    await connectSimulated(page);
    await openCheck();
    await expect.poll(() => page.getByTestId('check-run').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('check-will-disconnect').isVisible()).toBe(true);
    const verdict = await runWith('shipped');
    await screenshot(page, 'board-check-pass');
    expect(verdict).toMatch(/Passed: all 13 checks/);
    expect(await page.getByTestId('output-state').textContent()).toMatch(/No board connected/);
    expect(await page.getByTestId('check-row-watchdog.trip').textContent()).toMatch(/tripped [\d.]+ ms after the last valid frame/);

    const json = JSON.parse(await download('check-json')) as ReportFile;
    expect(json.format).toBe('stimbench-board-check');
    expect(json.context.dummyLoadConfirmed).toBe(true);
    expect(json.report.pass).toBe(true);
    expect(json.report.results).toHaveLength(13);
    expect(json.report.board).toMatchObject({ serialNumber: 'SIM-0001', channelCount: 2, watchdogMs: 500 });
    const html = await download('check-html');
    expect(html).toContain('Passed: all 13 checks');
    expect(html).toContain('serial number SIM-0001');
  }, 300_000);

  test('defective simulated firmware fails the checks it breaks, and the board is flashed back afterwards', async () => {
    await openCheck();
    expect(await runWith('watchdog-disabled')).toMatch(/Failed: 2 of 13 checks/);
    expect(await page.getByTestId('check-row-watchdog.trip').textContent()).toMatch(/Fail/);
    expect(await page.getByTestId('check-row-watchdog.corrupt-frames').textContent()).toMatch(/Fail/);
    await screenshot(page, 'board-check-fail');

    const limits = await runWith('accepts-every-program');
    expect(limits).toMatch(/Failed: \d+ of 13 checks/);
    expect(await page.getByTestId('check-row-programs.refused').textContent()).toMatch(/Fail/);

    // The defective image lived only for the check: the board the app connects to afterwards conforms.
    expect(await page.evaluate(() => (globalThis as unknown as { __stimbenchSim: { firmware: string } }).__stimbenchSim.firmware)).toBe('shipped');
  }, 400_000);

  test('STOP while the check drives current cuts the output at once and ends the check', async () => {
    await openCheck();
    await page.getByTestId('check-kind-simulated').check();
    await page.getByTestId('check-dummy-load').check();
    await page.getByTestId('check-run').click();
    // In the page, in one loop: once the slew check (8 of 13) drives current, press STOP at once. Doing it
    // here, not across the test's round trips, means the check is still running when STOP is pressed.
    const pressed = await page.evaluate(async (timeoutMs) => {
      type Sim = { snapshot(): Promise<{ outputUa: number[] }>; onEstopArrived(l: (atMs: number) => void): () => void };
      const g = globalThis as unknown as { __estops: number[]; __stimbenchSim?: Sim };
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        const progress = document.querySelector('[data-testid="check-progress"]')?.textContent ?? '';
        const sim = g.__stimbenchSim;
        if (sim && /Check (8|9|10) of 13/.test(progress)) {
          const { outputUa } = await sim.snapshot();
          if (outputUa.some((ua) => ua > 0)) {
            g.__estops = [];
            sim.onEstopArrived((atMs) => g.__estops.push(atMs));
            (document.querySelector('[data-testid="stop-button"]') as HTMLButtonElement).click();
            return { progress, outputUa };
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      return null;
    }, RUN_TIMEOUT_MS);
    expect(pressed, 'the check never drove current during checks 8–10').not.toBeNull();
    await waitUntil(() => page.evaluate(() => (globalThis as unknown as { __estops: number[] }).__estops.length), (n) => n >= 1, 5_000, 'the ESTOP to reach the board');
    const after = await waitUntil(() => boardSnapshot(page), (s) => s.outputUa.every((ua) => ua === 0), 2_000, 'output at 0 mA after STOP');
    // Latched: ESTOP, or the watchdog that trips once the check has closed its link (it overwrites the code).
    expect(['estop', 'watchdog']).toContain(after.fault);
    await expect.poll(() => page.getByTestId('check-verdict').textContent(), { timeout: 10_000 }).toMatch(/stopped by STOP/);
    const rows = await page.getByTestId('check-results').locator('tbody tr').allTextContents();
    expect(rows.filter((r) => /stopped by the user during this check/.test(r))).toHaveLength(1);
    // Nothing ran after the stop: the board never left its latched, idle state.
    const last = await boardSnapshot(page);
    expect(last.outputUa).toEqual([0, 0]);
    expect(last.fault).not.toBeNull();
  }, 300_000);
});

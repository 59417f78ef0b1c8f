/**
 * The built app in Chromium against the simulated board (in its worker): connect, refuse out-of-range
 * input with the reason, start output, STOP by Space, lost link on unplug, and the hang/background design.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { boardSnapshot, chooseElectrode, connectSimulated, injectFault, openApp, waitUntil } from './app.ts';
import { screenshot, useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

async function startChannel0(amplitudeMa: string): Promise<void> {
  await page.getByTestId('nav-control').click();
  await chooseElectrode(page, 0);
  const amp = page.locator('#ch0-amp');
  await amp.fill(amplitudeMa);
  await amp.press('Tab');
  await page.getByTestId('send-program-0').click();
  await page.getByText('Board accepted the program').waitFor();
  await page.getByTestId('start-0').click();
  await waitUntil(() => boardSnapshot(page), (s) => (s.outputUa[0] ?? 0) > 0, 10_000, 'output to rise');
}

describe('Connect and control (built app, simulated board)', () => {
  test('connects to the simulated board and shows its identity, caps and link health', async () => {
    await screenshot(page, '01-connect-empty');
    await connectSimulated(page);
    await expect.poll(() => page.getByTestId('board-kind').textContent()).toMatch(/Simulated board/);
    await waitUntil(() => page.getByTestId('heartbeats').textContent(), (t) => /^[1-9]\d* \/ [1-9]/.test(t ?? ''), 5_000, 'heartbeats acknowledged');
    await screenshot(page, '02-connect-connected');
  });

  test('impedance: measured on request, and an electrode off is reported as too high to start', async () => {
    await connectSimulated(page);
    await page.getByTestId('nav-control').click();
    await page.getByTestId('measure-impedance-0').click();
    await expect.poll(() => page.getByTestId('impedance-0').textContent()).toMatch(/\d Ω —\s+✓ contact good enough/);
    await injectFault(page, 'electrodeOff', 0);
    await page.getByTestId('measure-impedance-0').click();
    await expect.poll(() => page.getByTestId('impedance-0').textContent()).toMatch(/✗ too high/);
  });

  test('an out-of-range frequency is refused with the reason shown, and nothing changes', async () => {
    await connectSimulated(page);
    await page.getByTestId('nav-control').click();
    const freq = page.locator('#ch0-freq');
    await freq.fill('400');
    await freq.press('Enter');
    const alert = page.locator('#ch0-freq-error');
    await expect.poll(() => alert.textContent()).toMatch(/Refused: 400\.0 Hz is above the 150\.0 Hz limit \(mode table: conventional mode\)/);
    expect(await freq.inputValue()).toBe('100.0');
    await screenshot(page, '03-control-refused');
  });

  test('Space mid-stimulation: board output is zero and the stop is latched until cleared', async () => {
    await connectSimulated(page);
    await startChannel0('8');
    await screenshot(page, '04-control-stimulating');
    await page.locator('h2').first().click(); // focus off any field: a plain page key press
    await page.keyboard.press('Space');
    const snap = await waitUntil(() => boardSnapshot(page), (s) => s.outputUa.every((x) => x === 0) && s.fault === 'estop', 2_000, 'ESTOP at the board');
    expect(snap.fault).toBe('estop');
    await expect.poll(() => page.getByTestId('output-state').textContent()).toMatch(/STOPPED — fault latched/);
    await screenshot(page, '05-estop-latched');
    // Never resumes by itself; clearing the fault leaves output at zero.
    await page.getByTestId('clear-fault').click();
    await expect.poll(async () => (await boardSnapshot(page)).fault).toBe(null);
    expect((await boardSnapshot(page)).outputUa).toEqual([0, 0]);
  });

  test('unplugging the simulated cable shows the lost link and the output stops without resuming', async () => {
    await connectSimulated(page);
    await startChannel0('6');
    await injectFault(page, 'unplug');
    await expect.poll(() => page.getByTestId('output-state').textContent(), { timeout: 5_000 }).toMatch(/LINK LOST/);
    // The board's own watchdog zeroes output within its period (500 ms) after the last frame.
    await waitUntil(() => boardSnapshot(page), (s) => s.outputUa[0] === 0, 2_000, 'watchdog to zero output');
    await injectFault(page, 'replug');
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await boardSnapshot(page)).outputUa).toEqual([0, 0]);
    expect(await page.getByTestId('output-state').textContent()).toMatch(/LINK LOST/);
    await screenshot(page, '06-link-lost');
  });

  test('a hung main thread (2 s, page visible) stops the output: no heartbeats, board watchdog trips', async () => {
    await connectSimulated(page);
    await startChannel0('5');
    const tripsBefore = (await boardSnapshot(page)).watchdogTrips;
    await page.evaluate(() => {
      const end = performance.now() + 2_000;
      while (performance.now() < end) {
        // busy: the STOP button cannot answer now, so the board must stop on its own
      }
    });
    const snap = await boardSnapshot(page);
    expect(snap.outputUa).toEqual([0, 0]);
    // The board's watchdog tripped during the hang (the host may ESTOP too once it wakes up and sees the
    // silence, which re-latches the fault as 'estop'; the trip counter proves the watchdog acted first).
    expect(snap.watchdogTrips).toBeGreaterThan(tripsBefore);
    expect(snap.fault).not.toBe(null);
  });

  test('with main-thread timers throttled to 1 Hz (background tab), heartbeats keep flowing and output continues', async () => {
    // Chrome throttles a hidden page's timers to once a second (and later once a minute). Heartbeats
    // are ticked by a worker, so throttling the page's own timers must not starve them.
    await page.addInitScript(() => {
      const realSetTimeout = window.setTimeout.bind(window);
      const realSetInterval = window.setInterval.bind(window);
      window.setTimeout = ((fn: TimerHandler, ms?: number, ...args: unknown[]) => realSetTimeout(fn, Math.max(1_000, ms ?? 0), ...args)) as typeof window.setTimeout;
      window.setInterval = ((fn: TimerHandler, ms?: number, ...args: unknown[]) => realSetInterval(fn, Math.max(1_000, ms ?? 0), ...args)) as typeof window.setInterval;
      Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { get: () => true });
    });
    await openApp(page, baseUrl);
    await connectSimulated(page);
    await startChannel0('5');
    const before = await boardSnapshot(page);
    await new Promise((r) => setTimeout(r, 5_000));
    const after = await boardSnapshot(page);
    expect(after.fault).toBe(null);
    expect(after.watchdogTrips).toBe(before.watchdogTrips);
    expect(after.outputUa[0]).toBeGreaterThan(0);
  });
});

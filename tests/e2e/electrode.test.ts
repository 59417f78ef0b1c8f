/**
 * Current density always applies, in the built app: nothing is sent before the electrode pads are chosen,
 * and a raised density limit is a deliberate per-session override, shown in the STOP bar, recorded with
 * its reason, and gone when the session ends.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { boardSnapshot, chooseElectrode, connectSimulated, waitUntil } from './app.ts';
import { screenshot, useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

describe('Electrode pads and the density limit (built app, simulated board)', () => {
  test('Send and Start are refused with the reason until the pads are chosen; then the program goes', async () => {
    await connectSimulated(page);
    await page.getByTestId('nav-control').click();
    await page.getByTestId('send-program-0').click();
    await expect.poll(() => page.getByText(/Not sent: no electrode chosen for channel 1/).count()).toBe(1);
    // Start checks the draft itself: refused in words, nothing reaches the board.
    await page.getByTestId('start-0').click();
    await expect.poll(() => page.getByText(/Not started: no electrode chosen for channel 1/).count()).toBe(1);
    expect((await boardSnapshot(page)).outputUa).toEqual([0, 0]);
    await screenshot(page, 'electrode-01-control-missing');
    await page.getByTestId('nav-session').click();
    expect(await page.getByTestId('session-start').isDisabled()).toBe(true);
    expect(await page.getByTestId('session-start-why').textContent()).toMatch(/Choose the electrode pads for channel 1/);
    await page.getByTestId('nav-control').click();
    await chooseElectrode(page, 0, 'rect-4x4');
    await page.getByTestId('send-program-0').click();
    await page.getByText('Board accepted the program').waitFor();
    await screenshot(page, 'electrode-02-control-chosen');
    expect((await boardSnapshot(page)).outputUa).toEqual([0, 0]);
  });

  test('a per-session override: typed reason, shown in the STOP bar, recorded, gone when the session ends', async () => {
    const reason = 'Protocol 7: small-pad motor point study';
    await connectSimulated(page);
    await page.getByTestId('nav-session').click();
    await page.getByTestId('preset-conventional-tens').check();
    await chooseElectrode(page, 0, 'rect-2x2');
    await page.getByTestId('density-override-open').click();
    await page.getByTestId('density-override-limit').fill('3');
    expect(await page.getByTestId('density-override-confirm').isDisabled()).toBe(true);
    await page.getByTestId('density-override-reason').fill(reason);
    await page.getByTestId('density-override-confirm').click();
    const note = page.getByTestId('density-override-active');
    await expect.poll(() => note.textContent()).toMatch(/Density limit raised to 3\.0 mA\/cm²\s+for the next Session-screen session only/);
    expect(await note.textContent()).toContain(reason);
    await screenshot(page, 'electrode-03-override-armed');
    await page.getByTestId('titrate').press('Enter');
    expect(await page.getByTestId('titrate').getAttribute('aria-checked')).toBe('false');
    const target = page.locator('#session-target');
    await target.fill('4');
    await target.press('Tab');
    await page.getByTestId('session-start').click();
    await page.getByTestId('session-phase').waitFor();
    await expect.poll(() => note.textContent()).toMatch(/for this session/);
    await waitUntil(() => boardSnapshot(page), (s) => (s.outputUa[0] ?? 0) > 0, 10_000, 'output to start');
    await screenshot(page, 'electrode-04-override-in-use');
    await page.getByTestId('session-stop').click();
    await page.getByTestId('session-outcome').waitFor({ timeout: 15_000 });
    await expect.poll(() => note.count()).toBe(0);
    await page.getByTestId('nav-history').click();
    await page.getByRole('button', { name: /Open details of/ }).first().click();
    await page.getByTestId('history-timeline').waitFor();
    expect(await page.getByTestId('history-timeline').textContent()).toContain(`reason: ${reason}`);
  });
});

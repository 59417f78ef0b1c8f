/**
 * Timed sessions in the built app on the simulated board: a short preset run to completion, Space
 * mid-session (board output zero, record E-stopped), and a reload mid-session (record interrupted,
 * never resumed).
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { boardSnapshot, chooseElectrode, connectSimulated, waitUntil } from './app.ts';
import { screenshot, useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

/** Start the conventional preset on channel 1 without titration, shortened to `seconds`. */
async function startShortSession(seconds: number): Promise<void> {
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
  await length.fill(String(seconds));
  await length.press('Tab');
  await page.getByTestId('session-start').click();
  await page.getByTestId('session-phase').waitFor();
}

async function historyOutcomeTexts(): Promise<string[]> {
  await page.getByTestId('nav-history').click();
  const outcomes = page.locator('[data-testid^="history-outcome-"]');
  await outcomes.first().waitFor();
  return outcomes.allTextContents();
}

describe('Sessions (built app, simulated board)', () => {
  test('a short preset runs to completion and the record says completed', async () => {
    await startShortSession(18);
    await waitUntil(() => boardSnapshot(page), (s) => (s.outputUa[0] ?? 0) > 0, 10_000, 'output to start');
    await screenshot(page, '07-session-running');
    await page.getByTestId('session-outcome').waitFor({ timeout: 40_000 });
    expect(await page.getByTestId('session-outcome').textContent()).toMatch(/Completed/);
    expect((await boardSnapshot(page)).outputUa).toEqual([0, 0]);
    await screenshot(page, '08-session-done');
    const outcomes = await waitUntil(historyOutcomeTexts, (t) => t.some((x) => /Completed/.test(x)), 10_000, 'completed record');
    expect(outcomes[0]).toMatch(/Completed/);
    await screenshot(page, '09-history');
  });

  test('Space mid-session: the board output is zero and the record says E-stopped', async () => {
    await startShortSession(120);
    await waitUntil(() => boardSnapshot(page), (s) => (s.outputUa[0] ?? 0) > 0, 10_000, 'output to start');
    await page.locator('h2').first().click();
    await page.keyboard.press('Space');
    const snap = await waitUntil(() => boardSnapshot(page), (s) => s.outputUa.every((x) => x === 0), 2_000, 'ESTOP at the board');
    expect(snap.fault).toBe('estop');
    await page.getByTestId('session-outcome').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('session-outcome').textContent()).toMatch(/E-stopped/);
    const outcomes = await waitUntil(historyOutcomeTexts, (t) => /E-stopped/.test(t[0] ?? ''), 10_000, 'E-stopped record');
    expect(outcomes[0]).toMatch(/E-stopped/);
  });

  test('reload mid-session: history shows the session as interrupted and nothing resumes', async () => {
    await startShortSession(120);
    await waitUntil(() => boardSnapshot(page), (s) => (s.outputUa[0] ?? 0) > 0, 10_000, 'output to start');
    await page.reload();
    await page.getByTestId('stop-button').waitFor();
    // After a reload the app is disconnected: no board, no output, no session.
    expect(await page.getByTestId('output-state').textContent()).toMatch(/No board connected/);
    const outcomes = await waitUntil(historyOutcomeTexts, (t) => /Interrupted/.test(t[0] ?? ''), 10_000, 'interrupted record');
    expect(outcomes[0]).toMatch(/Interrupted/);
    await screenshot(page, '10-history-interrupted');
  });

  test('every screen, at 1280×800 and at 400 px wide, keeps the STOP control visible', async () => {
    await connectSimulated(page);
    for (const [width, tag] of [[1280, 'wide'], [400, 'narrow']] as const) {
      await page.setViewportSize({ width, height: 800 });
      for (const screen of ['connect', 'control', 'session', 'history', 'programmes', 'settings']) {
        await page.getByTestId(`nav-${screen}`).click();
        await page.locator('main h2').first().waitFor();
        expect(await page.getByTestId('stop-button').isVisible()).toBe(true);
        // No sideways scrolling: the page fits its width.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width + 1);
        await screenshot(page, `${tag}-${screen}`);
      }
    }
  });
});

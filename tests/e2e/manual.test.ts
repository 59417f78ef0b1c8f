/**
 * Manual stimulation on the Control screen in the built app (simulated board): Start runs a recorded
 * session through the session engine, live amplitude changes go through it too, and History shows the
 * run as manual, for the participant set in Settings.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { boardSnapshot, chooseElectrode, connectSimulated, waitUntil } from './app.ts';
import { screenshot, useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

async function startManual(amplitudeMa: string): Promise<void> {
  // Let the link settle first (heartbeats acknowledged): on a loaded machine the first second after
  // connecting is when a stalled page most often lets the board's watchdog trip.
  await waitUntil(() => page.getByTestId('heartbeats').textContent(), (t) => /^([1-9]\d+) \/ ([1-9]\d+)/.test(t ?? ''), 10_000, 'ten heartbeats acknowledged');
  await page.getByTestId('nav-control').click();
  // Pads are required before any program is sent (the current-density limit needs their area).
  await chooseElectrode(page, 0);
  const amp = page.locator('#ch0-amp');
  await amp.fill(amplitudeMa);
  await amp.press('Tab');
  // One Start: no "Send program" first (the session engine sends the drafted program, then START).
  await page.getByTestId('start-0').click({ timeout: 10_000 }).catch(async (error: unknown) => {
    const why = [await page.getByTestId('output-state').textContent(), await page.locator('article.channel').first().textContent()];
    throw new Error(`Start stayed disabled: ${why.join(' | ').replace(/\s+/g, ' ')}`, { cause: error });
  });
  await waitUntil(() => boardSnapshot(page), (s) => (s.outputUa[0] ?? 0) > 0, 10_000, 'output to rise');
}

describe('Manual stimulation is a recorded session (built app, simulated board)', () => {
  test('Start, +1 mA, Stop: the board follows, and History shows a manual record for participant "self" with the level change', async () => {
    await connectSimulated(page);
    await startManual('5');
    await expect.poll(() => page.getByTestId('manual-session-0').textContent()).toMatch(/Manual session, recorded for participant “self”/);
    await page.getByRole('button', { name: 'Increase 1 mA' }).click();
    await waitUntil(() => boardSnapshot(page), (s) => s.channels[0]?.targetUa === 6_000, 10_000, 'board target 6 mA');
    await screenshot(page, 'manual-01-running');
    await page.getByTestId('stop-0').click();
    await waitUntil(() => boardSnapshot(page), (s) => s.outputUa[0] === 0 && s.channels[0]?.state === 'idle', 15_000, 'ramped stop');
    await page.getByTestId('nav-history').click();
    const manualTag = page.locator('[data-testid^="history-manual-"]');
    await manualTag.first().waitFor({ timeout: 10_000 });
    expect(await manualTag.count()).toBe(1);
    const id = (await manualTag.first().getAttribute('data-testid'))!.replace('history-manual-', '');
    expect(await page.getByTestId(`history-participant-${id}`).textContent()).toMatch(/participant self/);
    await expect.poll(() => page.getByTestId(`history-outcome-${id}`).textContent(), { timeout: 10_000 }).toMatch(/Stopped/);
    await screenshot(page, 'manual-02-history');
    // The level change is in the record's events.
    await page.getByRole('button', { name: /Open details of Manual — channel 1/ }).click();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/set-level \(6(\.0)? mA\)/);
  });

  test('while a manual session runs on channel 1, the Session screen will not start another there, and says why', async () => {
    await connectSimulated(page);
    await startManual('3');
    await page.getByTestId('nav-session').click();
    await page.getByTestId('preset-conventional-tens').check();
    // Before: Start was enabled, the board refused the second program as busy mid-start, and the failed
    // session ended with an ESTOP that also cut the manual one.
    await expect.poll(() => page.getByTestId('session-start-why').textContent()).toMatch(/Channel 1 is already stimulating \(a manual session on the Control screen\): stop it there first/);
    expect(await page.getByTestId('session-start').isDisabled()).toBe(true);
    const snap = await boardSnapshot(page);
    expect(snap.fault).toBeNull();
    expect(snap.outputUa[0]).toBeGreaterThan(0);
    await screenshot(page, 'manual-04-session-screen-busy-channel');
    await page.getByTestId('nav-control').click();
    await page.getByTestId('stop-0').click();
    await waitUntil(() => boardSnapshot(page), (s) => s.outputUa[0] === 0 && s.channels[0]?.state === 'idle', 15_000, 'ramped stop');
  });

  test('the participant set in Settings goes into the manual record; a code that looks like personal data is refused', async () => {
    // The code is set before connecting: the board link then only has to live through the start.
    await page.getByTestId('nav-settings').click();
    const code = page.getByTestId('participant-code');
    await code.fill('Jane Doe');
    await code.press('Tab');
    await expect.poll(() => page.getByTestId('participant-message').textContent()).toMatch(/refused/);
    expect(await code.inputValue()).toBe('self');
    await code.fill('P07');
    await code.press('Tab');
    await expect.poll(() => page.getByTestId('participant-message').textContent()).toMatch(/Saved: new sessions are recorded for "p07"/);
    await screenshot(page, 'manual-03-settings-participant');
    await connectSimulated(page);
    await startManual('4');
    await page.getByTestId('stop-0').click();
    await waitUntil(() => boardSnapshot(page), (s) => s.outputUa[0] === 0 && s.channels[0]?.state === 'idle', 15_000, 'ramped stop');
    await page.getByTestId('nav-history').click();
    const participant = page.locator('[data-testid^="history-participant-"]');
    await participant.first().waitFor({ timeout: 10_000 });
    expect(await participant.first().textContent()).toMatch(/participant p07/);
  });
});

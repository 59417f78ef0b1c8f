/**
 * Keyboard rules in the built app (Chromium, simulated board): every switch is reached with Tab and
 * toggled with Enter without any stop; Space on a focused "+1 mA" while stimulating is an ESTOP and
 * never raises the target.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { boardSnapshot, chooseElectrode, connectSimulated, waitUntil } from './app.ts';
import { useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

/** Press Tab until the element with `testid` has the focus (at most `maxTabs` presses). */
async function tabTo(testid: string, maxTabs = 80): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testid)) return;
  }
  throw new Error(`Tab never reached ${testid}`);
}

describe('Keyboard: Enter operates every control, Space only stops', () => {
  test('Tab to each switch and press Enter: it toggles, and nothing is stopped or faulted', async () => {
    await connectSimulated(page);
    await page.getByTestId('nav-session').click();
    await page.getByTestId('session-start').waitFor();
    const switches = await page.locator('[role="switch"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    expect(switches.length).toBeGreaterThan(0);
    expect(await page.locator('input[type="checkbox"]').count()).toBe(0);
    for (const testid of switches) {
      expect(testid).not.toBe('');
      const sw = page.getByTestId(testid);
      const before = await sw.getAttribute('aria-checked');
      await page.locator('h2').first().click();
      await tabTo(testid);
      await page.keyboard.press('Enter');
      await expect.poll(() => sw.getAttribute('aria-checked')).toBe(before === 'true' ? 'false' : 'true');
      await page.keyboard.press('Enter');
      await expect.poll(() => sw.getAttribute('aria-checked')).toBe(before);
    }
    expect((await boardSnapshot(page)).fault).toBe(null);
    expect(await page.getByTestId('output-state').textContent()).toMatch(/Connected — output off/);
  });

  test('focus "+1 mA" while stimulating and press Space: ESTOP, and the target is not raised', async () => {
    await connectSimulated(page);
    await page.getByTestId('nav-control').click();
    await chooseElectrode(page, 0);
    const amp = page.locator('#ch0-amp');
    await amp.fill('5');
    await amp.press('Tab');
    await page.getByTestId('send-program-0').click();
    await page.getByText('Board accepted the program').waitFor();
    await page.getByTestId('start-0').click();
    await waitUntil(() => boardSnapshot(page), (s) => (s.outputUa[0] ?? 0) > 0, 10_000, 'output to rise');
    const raise = page.getByRole('button', { name: 'Increase 1 mA' });
    // Count every activation of "+1 mA" from here on, whatever the key path.
    await raise.evaluate((el) => {
      (window as unknown as { raiseClicks: number }).raiseClicks = 0;
      el.addEventListener('click', () => ((window as unknown as { raiseClicks: number }).raiseClicks += 1), { capture: true });
    });
    await raise.focus();
    await page.keyboard.down(' ');
    await page.keyboard.up(' ');
    const snap = await waitUntil(() => boardSnapshot(page), (s) => s.outputUa.every((x) => x === 0) && s.fault === 'estop', 2_000, 'ESTOP at the board');
    expect(snap.channels[0]?.targetUa ?? 0).toBeLessThanOrEqual(5_000);
    expect(await page.evaluate(() => (window as unknown as { raiseClicks: number }).raiseClicks)).toBe(0);
    await expect.poll(() => page.getByTestId('output-state').textContent()).toMatch(/STOPPED — fault latched/);
  });

  test('Escape in a text field stops; Space typed there with no output running is just typing', async () => {
    await connectSimulated(page);
    await page.getByTestId('nav-control').click();
    await chooseElectrode(page, 0, 'custom');
    const area = page.getByTestId('electrode-area-0');
    await area.fill('');
    await area.pressSequentially('12 ');
    expect(await area.inputValue()).toBe('12 ');
    expect((await boardSnapshot(page)).fault).toBe(null);
    await area.press('Escape');
    await waitUntil(() => boardSnapshot(page), (s) => s.fault === 'estop', 2_000, 'ESTOP from Escape');
  });
});

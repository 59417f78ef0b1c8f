/**
 * Charge per phase and energy per pulse into 500 Ω in the built app: on the Control screen's channel
 * card and on the Session screen (at the highest level the session may reach, and live while it runs).
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { connectSimulated } from './app.ts';
import { screenshot, useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

describe('per-pulse figures (built app, simulated board)', () => {
  test('the channel card and the Session screen show charge per phase (with its 25 µC limit) and energy per pulse into 500 Ω', async () => {
    await connectSimulated(page);
    await page.getByTestId('nav-control').click();
    const charge = page.getByTestId('charge-0');
    await charge.waitFor();
    expect(await charge.textContent()).toMatch(/\d+\.\d\d µC \(limit 25 µC\)/);
    expect(await page.getByTestId('energy-0').textContent()).toMatch(/\d+\.\d{3} mJ/);

    await page.getByTestId('nav-session').click();
    await page.getByTestId('preset-conventional-tens').check();
    // Conventional preset: 100 µs at its 40 mA ceiling → 4.00 µC; 0.04² A² · 500 Ω · 200 µs = 0.160 mJ.
    const plan = page.getByTestId('charge-session-plan');
    await plan.waitFor();
    expect(await plan.textContent()).toMatch(/4\.00 µC \(limit 25 µC\)/);
    expect(await page.getByTestId('energy-session-plan').textContent()).toMatch(/0\.160 mJ/);
    await screenshot(page, '20-session-pulse-figures');
  });
});

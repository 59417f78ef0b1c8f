/**
 * Every screen, at a desktop's 1280 px and a phone's 400 px, with no board and connected to the
 * simulated board, has no serious or critical accessibility violation as axe-core finds them.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { SCREENS } from '../../src/ui/screens.ts';
import { connectSimulated } from './app.ts';
import { seriousViolations } from './axe.ts';
import { useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

async function checkEveryScreen(width: number): Promise<string[]> {
  await page.setViewportSize({ width, height: 900 });
  const found: string[] = [];
  for (const screen of SCREENS) {
    await page.getByTestId(`nav-${screen.id}`).click();
    await page.locator('main h2').first().waitFor();
    for (const line of await seriousViolations(page)) found.push(`${screen.id} at ${width} px: ${line}`);
  }
  return found;
}

/** Six axe scans on a shared 2-core machine: about a minute, so well over the 60 s default. */
const SCAN_TIMEOUT_MS = 240_000;

describe('accessibility: no serious or critical axe violations (built app)', () => {
  for (const width of [1280, 400]) {
    test(`every screen at ${width} px, no board connected`, async () => {
      expect(await checkEveryScreen(width)).toEqual([]);
    }, SCAN_TIMEOUT_MS);
    test(`every screen at ${width} px, connected to the simulated board`, async () => {
      await connectSimulated(page);
      expect(await checkEveryScreen(width)).toEqual([]);
    }, SCAN_TIMEOUT_MS);
  }
  test('the Control screen with a fault latched in the STOP bar, at 400 px, details open', async () => {
    await page.setViewportSize({ width: 400, height: 900 });
    await connectSimulated(page);
    await page.getByTestId('nav-control').click();
    await page.getByTestId('stop-button').click();
    await page.getByTestId('clear-fault').waitFor();
    await page.locator('.stopbar summary').click();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

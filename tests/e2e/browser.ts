/** Launch Debian's Chromium for e2e tests (playwright-core never downloads a browser here). */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../vite.config.ts';

export const ARTIFACTS_DIR = 'test-artifacts/screenshots';

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS_DIR}/${name}.png`, fullPage: true });
}

/**
 * One Chromium per test file and a fresh context per test, with the app open at its Connect screen.
 * `set` receives each test's page.
 */
export function useAppPage(baseUrl: string, set: (page: Page) => void): void {
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    page = await (await browser!.newContext()).newPage();
    set(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${baseUrl}#/connect`);
    await page.getByTestId('stop-button').waitFor();
  });
  afterEach(async () => {
    await page?.context().close();
  });
}

/**
 * Cold start of the installed app: a fresh page load served by the service worker's cache, from
 * navigation start until the Connect screen is usable (its "Connect simulated board" button enabled),
 * p50 and p95 of 20 loads; target p50 ≤ 300 ms. Baseline in the same run: the same loads from the network
 * (the app server on localhost, HTTP cache disabled), so the figure is also printed as a ratio.
 * The production build is served by `stimbench app`'s server, under its content security policy.
 */
import { chromium, type BrowserContext, type CDPSession } from 'playwright-core';
import { build } from 'vite';
import { test } from 'vitest';
import { startAppServer } from '../src/appserver/serveApp.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../vite.config.ts';

const LOADS = 20;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** ms from navigation start until the Connect screen is usable, measured in the page. */
async function loadOnce(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('[data-testid="connect-simulated"]:not([disabled])').waitFor();
  const ms = await page.evaluate(() => performance.now());
  await page.close();
  return ms;
}

async function series(context: BrowserContext, url: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < LOADS; i++) out.push(await loadOnce(context, url));
  return out.sort((a, b) => a - b);
}

test('cold start: Connect screen usable, from the service worker cache and from the network', async () => {
  await build({ logLevel: 'warn' });
  const server = await startAppServer({ dir: 'dist', port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const url = `${server.url}#/connect`;
    // Network baseline: no service worker, no HTTP cache.
    const network = await browser.newContext({ serviceWorkers: 'block' });
    const cdp: CDPSession = await network.newCDPSession(await network.newPage());
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const fromNetwork = await series(network, url);
    await network.close();
    // Installed: one load installs the service worker; later loads come from its cache.
    const installed = await browser.newContext();
    const first = await installed.newPage();
    await first.goto(url);
    await first.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await first.reload();
    await first.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await first.close();
    const fromCache = await series(installed, url);
    await installed.close();
    const p50 = percentile(fromCache, 50);
    console.log(
      [
        `cold start to a usable Connect screen, ${LOADS} loads each:`,
        `  from the service worker cache: p50 ${p50.toFixed(0)} ms, p95 ${percentile(fromCache, 95).toFixed(0)} ms (target p50 ≤ 300 ms)`,
        `  from the network (baseline):   p50 ${percentile(fromNetwork, 50).toFixed(0)} ms, p95 ${percentile(fromNetwork, 95).toFixed(0)} ms`,
        `  cache / network p50: ${(p50 / percentile(fromNetwork, 50)).toFixed(2)}`,
      ].join('\n'),
    );
  } finally {
    await browser.close();
    await server.close();
  }
}, 600_000);

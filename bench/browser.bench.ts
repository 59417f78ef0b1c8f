/**
 * Browser benchmark, in Debian's Chromium against the production build on the simulated board:
 * - initial JS, gzipped (what index.html loads before any user action);
 * - Space key press → ESTOP frame arriving at the simulated board's port (in its worker), p50/p99, while
 *   both channels stream 1 kHz telemetry into the live plots;
 * - main-thread busy share during that load (CDP TaskDuration over wall time).
 * Baselines in the same run: the page → board-worker message floor (half a snapshot round trip), and
 * the busy share of the same page connected but idle. Prints figures; asserts nothing about time.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { test } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../vite.config.ts';

const ITERATIONS = Number(process.env.BENCH_ESTOP_ITERATIONS ?? 100);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function initialJsGzipBytes(dist: string): { initial: number; files: string[] } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const initial = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f))).length, 0);
  return { initial, files };
}

async function startBothChannels(page: Page): Promise<void> {
  await page.getByTestId('nav-control').click();
  for (const c of [0, 1]) {
    const amp = page.locator(`#ch${c}-amp`);
    await amp.fill('5');
    await amp.press('Tab');
    await page.getByTestId(`send-program-${c}`).click();
    await page.locator(`[data-testid="start-${c}"]:not([disabled])`).click();
  }
  await page.waitForFunction(async () => {
    const sim = (globalThis as unknown as { __stimbenchSim: { snapshot(): Promise<{ outputUa: number[] }> } }).__stimbenchSim;
    const s = await sim.snapshot();
    return s.outputUa.every((x) => x > 0);
  });
}

async function taskSeconds(cdp: import('playwright-core').CDPSession): Promise<{ task: number; wall: number }> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const get = (n: string) => metrics.find((m) => m.name === n)?.value ?? 0;
  return { task: get('TaskDuration'), wall: get('Timestamp') };
}

test('browser: initial JS, ESTOP key→port latency under load, main-thread busy share', async () => {
  await build({ logLevel: 'warn' });
  const size = initialJsGzipBytes('dist');
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const url = server.resolvedUrls!.local[0]!;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${url}#/connect`);
    await page.getByTestId('connect-simulated').click();
    await page.getByTestId('board-serial').getByText('SIM-0001').waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');

    // Baseline busy share: connected, idle, on the Control screen (plots mounted, nothing streaming).
    await page.getByTestId('nav-control').click();
    let a = await taskSeconds(cdp);
    await page.waitForTimeout(5_000);
    let b = await taskSeconds(cdp);
    const idleBusy = (b.task - a.task) / (b.wall - a.wall);

    // Load: both channels at 1 kHz telemetry into the live plots.
    await startBothChannels(page);
    a = await taskSeconds(cdp);
    await page.waitForTimeout(10_000);
    b = await taskSeconds(cdp);
    const loadBusy = (b.task - a.task) / (b.wall - a.wall);

    // Message floor: half a page → worker → page snapshot round trip.
    // performance.now() is coarse (100 µs) on a page that is not cross-origin isolated, so time batches
    // of 50 round trips and halve the mean.
    const floor: number[] = await page.evaluate(async () => {
      const sim = (globalThis as unknown as { __stimbenchSim: { snapshot(): Promise<unknown> } }).__stimbenchSim;
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        for (let k = 0; k < 50; k++) await sim.snapshot();
        out.push((performance.now() - t) / 100);
      }
      return out;
    });

    await page.evaluate(() => {
      const w = globalThis as unknown as { __keyEpoch: number };
      const x = w as unknown as { __keyEpoch: number; __handlerDelay: number[] };
      x.__handlerDelay = [];
      window.addEventListener('keydown', (e) => {
        x.__keyEpoch = performance.timeOrigin + e.timeStamp;
        x.__handlerDelay.push(performance.now() - e.timeStamp);
      }, { capture: true });
    });
    const latencies: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      await page.waitForTimeout(300); // let telemetry and plots run between presses
      await page.evaluate(() => {
        const w = globalThis as unknown as { __stimbenchSim: { onEstopArrived(l: (t: number) => void): () => void }; __arrival: Promise<number> };
        w.__arrival = new Promise<number>((resolve) => {
          const off = w.__stimbenchSim.onEstopArrived((t) => {
            off();
            resolve(t);
          });
        });
      });
      await page.keyboard.press('Space');
      const ms = await page.evaluate(async () => {
        const w = globalThis as unknown as { __arrival: Promise<number>; __keyEpoch: number };
        return (await w.__arrival) - w.__keyEpoch;
      });
      latencies.push(ms);
      await page.getByTestId('clear-fault').click();
      await page.getByTestId('output-state').getByText('Connected — output off').waitFor();
      await startBothChannels(page);
    }
    const handlerDelay: number[] = await page.evaluate(() => (globalThis as unknown as { __handlerDelay: number[] }).__handlerDelay);
    handlerDelay.sort((x, y) => x - y);
    latencies.sort((x, y) => x - y);
    console.log('latencies (ms):', latencies.map((x) => x.toFixed(1)).join(' '));
    console.log('key event → handler start (ms):', handlerDelay.map((x) => x.toFixed(1)).join(' '));
    floor.sort((x, y) => x - y);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const floor50 = percentile(floor, 50);
    console.log(
      [
        '',
        '== browser benchmark (Chromium, production build, simulated board in a worker)',
        `initial JS gzipped: ${(size.initial / 1024).toFixed(1)} kB (${size.files.join(', ')}); target ≤ 100 kB → ${(size.initial / 1024 / 100).toFixed(2)}× of target`,
        `ESTOP Space→board port, ${latencies.length} presses under 2×1 kHz telemetry + live plots: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms (target p99 ≤ 5 ms)`,
        `  baseline page→worker message floor p50 ${floor50.toFixed(3)} ms → ESTOP p50 is ${(p50 / floor50).toFixed(1)}× the floor`,
        `main-thread busy: ${(loadBusy * 100).toFixed(1)} % under load vs ${(idleBusy * 100).toFixed(1)} % idle baseline (${(loadBusy / Math.max(idleBusy, 1e-6)).toFixed(1)}×); target ≤ 25 %`,
      ].join('\n'),
    );
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
});

/** Page helpers for the e2e tests: open the built app, connect the simulated board, read the board. */
import type { Page } from 'playwright-core';
import type { BoardSnapshot } from '../../src/lib/transport/worker-board/bridgeMessages.ts';

export async function openApp(page: Page, baseUrl: string, screen = 'connect'): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${baseUrl}#/${screen}`);
  await page.getByTestId('stop-button').waitFor();
}

export async function connectSimulated(page: Page): Promise<void> {
  await page.goto(page.url().replace(/#.*$/, '') + '#/connect');
  await page.getByTestId('connect-simulated').click();
  await page.getByTestId('board-serial').getByText('SIM-0001').waitFor();
  // Let the link settle (ten heartbeats acknowledged) before a test stimulates: on a loaded machine the
  // first second after connecting is when a stalled page most often lets the board's 500 ms watchdog
  // trip, which (rightly) latches a fault and disables Start — not what the calling test is about.
  await waitUntil(() => page.getByTestId('heartbeats').textContent(), (t) => /^([1-9]\d+) \/ ([1-9]\d+)/.test(t ?? ''), 10_000, 'ten heartbeats acknowledged');
}

/** The simulated board's state, read from its worker (what reached the electrodes). */
export async function boardSnapshot(page: Page): Promise<BoardSnapshot> {
  return page.evaluate(async () => {
    const sim = (globalThis as unknown as { __stimbenchSim?: { snapshot(): Promise<BoardSnapshot> } }).__stimbenchSim;
    if (!sim) throw new Error('no simulated board connected');
    return sim.snapshot();
  });
}

export async function injectFault(page: Page, name: string, arg?: number): Promise<void> {
  await page.evaluate(
    ([n, a]) => {
      const sim = (globalThis as unknown as { __stimbenchSim?: { inject(name: string, arg?: number): void } }).__stimbenchSim;
      if (!sim) throw new Error('no simulated board connected');
      sim.inject(n as string, a as number | undefined);
    },
    [name, arg] as const,
  );
}

/** Poll until `fn` returns true (or time out with the last value in the message). */
export async function waitUntil<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await fn();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await fn();
  }
  return last;
}

/** Choose the electrode pads on a channel (0-based) on the screen in view: no program is sent without them. */
export async function chooseElectrode(page: Page, channel: number, padId = 'rect-5x5'): Promise<void> {
  await page.getByTestId(`electrode-pad-${channel}`).selectOption(padId);
}

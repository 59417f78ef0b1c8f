/**
 * Disconnect in the built app against the simulated board (which stays powered, as a real board stays
 * plugged in): disconnect and reconnect complete every time; disconnecting while stimulating brings the
 * board's output to 0 first and says so; and STOP or Escape pressed while a disconnect is under way cuts
 * the output at once (ESTOP at the board), instead of waiting for the ramp-down.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { boardSnapshot, chooseElectrode, connectSimulated, waitUntil } from './app.ts';
import { screenshot, useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

const outputState = () => page.getByTestId('output-state').textContent();

/** Start channel 1 from the Control screen and wait until the board delivers the full amplitude. */
async function stimulate(amplitudeMa: string, rampDownS: string): Promise<void> {
  await page.getByTestId('nav-control').click();
  await chooseElectrode(page, 0);
  for (const [field, value] of [
    ['#ch0-amp', amplitudeMa],
    ['#ch0-rampdown', rampDownS],
  ] as const) {
    const input = page.locator(field);
    await input.fill(value);
    await input.press('Tab');
  }
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId('send-program-0').click();
    await page.getByText('Board accepted the program').waitFor();
    try {
      await page.getByTestId('start-0').click({ timeout: 5_000 });
      break;
    } catch (error) {
      // On a starved machine the page can stall past the board's 500 ms watchdog, which then (rightly)
      // latches a fault and disables Start. That is not what these tests are about: clear it and retry.
      const state = (await outputState()) ?? '';
      if (attempt >= 3 || !/fault latched/.test(state)) throw new Error(`Start stayed disabled (${state})`, { cause: error });
      await page.getByTestId('clear-fault').click();
      await expect.poll(outputState).not.toMatch(/fault latched/);
    }
  }
  const targetUa = Number(amplitudeMa) * 1000;
  await waitUntil(() => boardSnapshot(page), (s) => s.outputUa[0] === targetUa, 15_000, 'output to reach the target');
}

/** Record, in the page, the arrival time of every ESTOP frame at the simulated board. */
async function watchEstops(): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as { __estops: number[]; __stimbenchSim: { onEstopArrived(l: (t: number) => void): () => void } };
    w.__estops = [];
    w.__stimbenchSim.onEstopArrived((t) => w.__estops.push(t));
  });
}
const estopsArrived = () => page.evaluate(() => (globalThis as unknown as { __estops: number[] }).__estops.length);

async function clickDisconnect(): Promise<void> {
  await page.getByTestId('nav-connect').click();
  await page.getByTestId('disconnect').click();
}

describe('Disconnect (built app, simulated board)', () => {
  test('disconnect and reconnect, 20 times in a row: each completes and the connect buttons come back', async () => {
    await connectSimulated(page);
    for (let i = 1; i <= 20; i++) {
      await page.getByTestId('disconnect').click();
      await expect.poll(outputState, { timeout: 10_000, message: `disconnect ${i} finishes` }).toMatch(/No board connected/);
      const connect = page.getByTestId('connect-simulated');
      await expect.poll(() => connect.isEnabled(), { timeout: 5_000, message: `connect enabled after disconnect ${i}` }).toBe(true);
      await connect.click();
      await page.getByTestId('board-serial').getByText('SIM-0001').waitFor({ timeout: 10_000 });
      await expect.poll(outputState, { timeout: 10_000, message: `connect ${i} finishes` }).not.toMatch(/No board connected|Connecting/);
    }
    await screenshot(page, 'disconnect-reconnect-20');
  });

  test('Connect again while connected (a reconnect), 5 times: each completes and the connect buttons come back', async () => {
    await connectSimulated(page);
    const connect = page.getByTestId('connect-simulated');
    for (let i = 1; i <= 5; i++) {
      await connect.click();
      await expect.poll(() => connect.isEnabled(), { timeout: 10_000, message: `reconnect ${i} finishes` }).toBe(true);
      await page.getByTestId('board-serial').getByText('SIM-0001').waitFor({ timeout: 10_000 });
      await expect.poll(outputState, { timeout: 10_000 }).not.toMatch(/No board connected|Connecting/);
    }
    expect(await page.locator('.error[role="alert"]').count()).toBe(0);
  });

  test('disconnect while stimulating: the board output reaches 0 before the link closes, and the user is told', async () => {
    await connectSimulated(page);
    await stimulate('8', '1');
    await clickDisconnect();
    await expect.poll(() => page.getByTestId('connection-notice').textContent(), { timeout: 15_000 }).toMatch(/output was on when you disconnected\. It was ramped down to 0 mA/);
    await expect.poll(outputState).toMatch(/No board connected/);
    expect((await boardSnapshot(page)).outputUa).toEqual([0, 0]);
    await screenshot(page, 'disconnect-while-stimulating');
  });

  test.each([
    ['Escape', async () => page.keyboard.press('Escape')],
    ['the STOP button', async () => page.getByTestId('stop-button').click()],
  ] as const)('%s during a disconnect in progress cuts the output at once (ESTOP at the board), not after the 10 s ramp', async (_name, press) => {
    await connectSimulated(page);
    await stimulate('8', '10');
    await watchEstops();
    await clickDisconnect();
    // The ramped STOP of the disconnect is under way (10 s); the link is still open.
    await expect.poll(() => page.getByTestId('connection-notice').textContent(), { timeout: 5_000 }).toMatch(/being ramped down to 0 mA/);
    await press();
    // Far sooner than the 10 s ramp could get there: the ESTOP did it.
    await waitUntil(() => boardSnapshot(page), (s) => s.outputUa.every((x) => x === 0), 3_000, 'output cut to 0 by the ESTOP');
    expect(await estopsArrived()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('connection-notice').textContent(), { timeout: 15_000 }).toMatch(/cut to 0 mA at once \(emergency stop\)/);
    await expect.poll(outputState).toMatch(/No board connected/);
  });
});

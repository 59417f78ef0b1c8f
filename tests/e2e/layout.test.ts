/**
 * The app as a researcher sees it, at a phone's 400 px and a desktop's 1280 px: controls before the
 * plots on a phone, a compact STOP bar even with a fault shown, inputs that keep their height when a
 * refusal appears, a focus ring that can be seen on the backgrounds it sits on, and the pain-rating
 * legend inside its box.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { connectSimulated } from './app.ts';
import { screenshot, useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;

/** WCAG relative luminance of an `rgb(r, g, b)` colour. */
function luminance(css: string): number {
  const [r, g, b] = css.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('layout at 400 px and 1280 px (built app)', () => {
  test('at 400 px the Control screen shows the channel controls before the plots', async () => {
    await page.setViewportSize({ width: 400, height: 900 });
    await page.getByTestId('nav-control').click();
    const card = await box('article.channel');
    const plot = await box('figure.plot');
    expect(card.y).toBeLessThan(plot.y);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect((await box('figure.plot')).y).toBeLessThan((await box('article.channel')).y);
  });

  test('at 400 px a latched fault keeps the STOP bar compact: one line of fault text, details on request, "Clear fault" without an ellipsis', async () => {
    await page.setViewportSize({ width: 400, height: 900 });
    await connectSimulated(page);
    await page.getByTestId('nav-control').click();
    await page.getByTestId('stop-button').click();
    await page.getByTestId('clear-fault').waitFor();
    expect((await page.getByTestId('clear-fault').textContent())?.trim()).toBe('Clear fault');
    expect((await box('section.stopbar')).height).toBeLessThanOrEqual(80);
    const reason = page.getByTestId('fault-reason');
    const lineHeight = await reason.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight));
    expect((await reason.boundingBox())!.height).toBeLessThan(lineHeight * 1.5);
    await screenshot(page, 'layout-01-fault-400');
    // The whole sentence and the code open on request.
    await page.locator('.stopbar summary').click();
    expect(await page.getByTestId('fault-code').isVisible()).toBe(true);
  });

  test('a refusal in one field changes the height of no input on the channel card', async () => {
    await page.getByTestId('nav-control').click();
    const inputs = page.locator('article.channel').first().locator('input, select');
    const heights = async () => Promise.all((await inputs.all()).map(async (i) => Math.round((await i.boundingBox())!.height)));
    const before = await heights();
    const freq = page.locator('#ch0-freq');
    await freq.fill('9999');
    await freq.press('Tab');
    await page.locator('#ch0-freq-error').waitFor();
    expect(await heights()).toEqual(before);
  });

  test('the keyboard focus ring has at least 3:1 contrast with the page behind it', async () => {
    await page.getByTestId('nav-control').click();
    await page.locator('#ch0-mode').focus();
    await page.keyboard.press('Tab');
    const focused = page.locator('#ch0-waveform');
    const style = await focused.evaluate((e) => {
      const s = getComputedStyle(e);
      let bgOf: Element | null = e.parentElement;
      let bg = 'rgba(0, 0, 0, 0)';
      while (bgOf && /rgba\(0, 0, 0, 0\)|transparent/.test(bg)) {
        bg = getComputedStyle(bgOf).backgroundColor;
        bgOf = bgOf.parentElement;
      }
      return { outline: s.outlineColor, width: s.outlineWidth, style: s.outlineStyle, bg };
    });
    expect(style.style).toBe('solid');
    expect(parseFloat(style.width)).toBeGreaterThanOrEqual(2);
    expect(contrast(style.outline, style.bg)).toBeGreaterThanOrEqual(3);
    // Also against the STOP bar's faulted tint and the page background.
    expect(contrast(style.outline, 'rgb(255, 243, 243)')).toBeGreaterThanOrEqual(3);
    expect(contrast(style.outline, 'rgb(246, 247, 249)')).toBeGreaterThanOrEqual(3);
  });

  test('at 400 px the pain-rating legend sits inside its box, below the top border', async () => {
    await page.setViewportSize({ width: 400, height: 900 });
    await page.getByTestId('nav-session').click();
    const fieldset = await box('fieldset.nrs');
    const legend = await box('fieldset.nrs legend');
    expect(legend.y).toBeGreaterThan(fieldset.y);
  });
});

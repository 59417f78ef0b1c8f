/**
 * The printable session report, in Chromium: a recorded manual session opened from History as a report,
 * printed to PDF with page.pdf(), and the PDF's own text read back with pdf.js: the participant code,
 * the delivered dose, the SHA-256 of the record file and the events are on the paper, and the digest is
 * the SHA-256 of the very JSON file the report saves.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { boardSnapshot, chooseElectrode, connectSimulated, waitUntil } from './app.ts';
import { seriousViolations } from './axe.ts';
import { screenshot, useAppPage } from './browser.ts';

let page: Page;
const baseUrl = inject('baseUrl');
useAppPage(baseUrl, (p) => (page = p));

/** Every text item of every page of a PDF, joined with spaces. */
async function pdfText(pdf: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: pdf, disableFontFace: true, useSystemFonts: false }).promise;
  const parts: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    for (const item of content.items) if ('str' in item) parts.push(item.str);
  }
  await doc.destroy();
  return parts.join(' ');
}

describe('printable session report (built app, simulated board)', () => {
  test('History › Report prints participant, dose, digest and events; the digest matches the saved JSON file', { timeout: 180_000 }, async () => {
    await page.getByTestId('nav-settings').click();
    const code = page.getByTestId('participant-code');
    await code.fill('R42');
    await code.press('Tab');
    await expect.poll(() => page.getByTestId('participant-message').textContent()).toMatch(/Saved/);
    await connectSimulated(page);
    await page.getByTestId('nav-control').click();
    await chooseElectrode(page, 0);
    const amp = page.locator('#ch0-amp');
    await amp.fill('4');
    await amp.press('Tab');
    await page.getByTestId('start-0').click();
    await waitUntil(() => boardSnapshot(page), (s) => (s.outputUa[0] ?? 0) > 0, 10_000, 'output to rise');
    await page.getByTestId('stop-0').click();
    await waitUntil(() => boardSnapshot(page), (s) => s.outputUa[0] === 0 && s.channels[0]?.state === 'idle', 15_000, 'ramped stop');

    await page.getByTestId('nav-history').click();
    const outcome = page.locator('[data-testid^="history-outcome-"]').first();
    await expect.poll(() => outcome.textContent(), { timeout: 10_000 }).toMatch(/Stopped/);
    await page.getByRole('button', { name: /Open details of Manual — channel 1/ }).click();
    // The record view and the report have no serious or critical accessibility violation, at both widths.
    for (const width of [1280, 400]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await seriousViolations(page)).toEqual([]);
    }
    await page.getByTestId('open-report').click();
    const hashCell = page.getByTestId('report-sha256');
    await hashCell.waitFor();
    const sha256 = (await hashCell.textContent())!.trim();
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const timeOn = await page.getByTestId('report-dose').getByRole('row', { name: /Time with output on/ }).locator('td').textContent();
    for (const width of [400, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await seriousViolations(page)).toEqual([]);
    }
    await screenshot(page, 'report-01-screen');

    // The file the report saves is the one it hashed.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-save-json').click()]);
    const saved = await readFile((await download.path())!);
    expect(createHash('sha256').update(saved).digest('hex')).toBe(sha256);
    expect(JSON.parse(saved.toString('utf8')).record.participant).toBe('r42');

    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    const text = await pdfText(new Uint8Array(pdf));
    // Chromium's PDF splits words at ligatures ("fi rmware"): compare without spaces where that matters.
    const squeezed = text.replace(/\s+/g, '');
    expect(text).toMatch(/Participant\s+r42/);
    expect(text).toMatch(/Time with output on/);
    expect(squeezed).toContain(`Timewithoutputon${timeOn!.replace(/\s+/g, '')}`);
    expect(squeezed).toContain(sha256);
    expect(text).toMatch(/Every event \(\d+\)/);
    expect(squeezed).toContain('Commandsent');
    expect(squeezed).toMatch(/\d{4}-\d\d-\d\d\d\d:\d\d:\d\d\.\d{3}Outcome/);
    expect(squeezed).toMatch(/firmware\d+\.\d+\.\d+/);
    // The app's chrome is not on the paper.
    expect(text).not.toMatch(/Space \/ Esc/);
    expect(text).not.toMatch(/Print or save as PDF/);
  });
});

/**
 * The printable session report: every part a reader needs on paper (participant, plan, binding limit,
 * board and firmware, dose, plot as SVG, pain, faults, every event with its wall time), and the SHA-256
 * of exactly the JSON file it saves.
 */
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, test, vi } from 'vitest';
import SessionReport from '../../src/ui/components/history/SessionReport.svelte';
import { exportRecordJson } from '../../src/lib/session/exportRecordJson.ts';
import { rig, seedClosed } from './historyFixtures.ts';

const T0 = Date.UTC(2026, 2, 4, 9, 30, 0);
const EXPORTED = T0 + 3_600_000;

describe('printable session report', () => {
  test('shows what a printout needs, and hashes the very file it saves', async () => {
    const { store } = await rig();
    await seedClosed(store, { id: 'rec-fault', createdWallMs: T0, outcome: 'fault', pain: { pre: 6, post: 2 } });
    const full = await store.getFull('rec-fault');
    full.record.participant = 'p07';
    const onsave = vi.fn();
    render(SessionReport, { props: { full, exportedWallMs: EXPORTED, onback() {}, onsave } });
    const expected = createHash('sha256').update(exportRecordJson(full, EXPORTED)).digest('hex');
    await waitFor(() => expect(screen.getByTestId('report-sha256').textContent).toBe(expected));

    expect(screen.getByTestId('report-participant').textContent).toBe('p07');
    expect(screen.getByTestId('report-outcome').textContent).toBe('Fault');
    expect(screen.getByTestId('report-binding').textContent).toMatch(/Binding amplitude limit: .* mA \((preset|mode table|board cap|lab cap|current density|charge per phase|r\.m\.s\. current)/);
    expect(screen.getByTestId('report-board').textContent).toMatch(/firmware 1\.2\.3/);
    expect(screen.getByTestId('report-dose').textContent).toMatch(/Time with output on\s*30 s/);
    expect(screen.getByTestId('report-pain').textContent).toBe('Before: 6 / 10. After: 2 / 10.');
    expect(screen.getByTestId('report-notable').textContent).toMatch(/Fault/);
    expect(document.querySelector('[data-testid="session-report"] svg')).not.toBeNull();
    const rows = screen.getByTestId('report-events').querySelectorAll('tbody tr');
    expect(rows).toHaveLength(full.events.length);
    expect(rows[0]!.textContent).toMatch(/2026-03-04 \d\d:30:00\.000/);

    screen.getByTestId('report-save-json').click();
    expect(onsave).toHaveBeenCalledTimes(1);
    const file = onsave.mock.calls[0]![0] as { text: string; sha256: string };
    expect(createHash('sha256').update(file.text).digest('hex')).toBe(file.sha256);
    expect(file.sha256).toBe(expected);
  });
});

/**
 * Charge per phase ≤ 25 µC on the Control screen: the card shows the charge and the energy per pulse into
 * 500 Ω, the amplitude field refuses a value past the cap naming it, and the pulse-width bound tightens
 * so a wider pulse cannot push the set amplitude past it.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import ChannelCard from '../../src/ui/components/ChannelCard.svelte';
import { ChannelDraftState } from '../../src/ui/state/channelDraft.svelte.ts';
import type { BoardConnectionState } from '../../src/ui/state/connection.svelte.ts';
import { ElectrodeState } from '../../src/ui/state/electrodes.svelte.ts';
import { ManualSessionsState, type ManualServices } from '../../src/ui/state/manualSessions.svelte.ts';
import { validateProgram } from '../../firmware-protocol/src/index.ts';

/** The card reads only these members of the connection while nothing is connected. */
const offline = { channels: [], connected: false, device: null, state: 'disconnected' } as unknown as BoardConnectionState;

function acupunctureAt400Us(): ChannelDraftState {
  const d = new ChannelDraftState(0);
  d.setMode('acupuncture-like');
  d.set('pulseWidthUs', 400);
  return d;
}

describe('charge per phase on the Control screen', () => {
  test('the amplitude ceiling at 400 µs is 62.5 mA and names charge per phase (the mode table alone allows 80 mA)', () => {
    const d = acupunctureAt400Us();
    expect(d.limits.amplitudeUa.max.value).toBe(80_000);
    expect(d.amplitudeMax).toEqual(expect.objectContaining({ value: 62_500, source: 'charge-per-phase' }));
  });

  test('the pulse-width bound tightens so a wider pulse cannot push the set amplitude past 25 µC', () => {
    const d = new ChannelDraftState(0);
    d.setMode('acupuncture-like');
    d.set('pulseWidthUs', 250);
    d.set('amplitudeUa', 70_000);
    const pwMax = d.maxKeepingAmplitude('pulseWidthUs', d.limits.pulseWidthUs.max);
    expect(pwMax).toEqual(expect.objectContaining({ value: 357, source: 'charge-per-phase' })); // 25 µC / 70 mA = 357.1 µs
    expect(validateProgram({ ...d.program, pulseWidthUs: 357 }).ok).toBe(true);
    expect(validateProgram({ ...d.program, pulseWidthUs: 358 }).ok).toBe(false);
  });

  test('the card shows charge per phase with its limit and the energy per pulse into 500 Ω', () => {
    const d = acupunctureAt400Us();
    d.set('waveform', 'symmetric-biphasic');
    d.set('amplitudeUa', 62_500);
    render(ChannelCard, { props: { draft: d, connection: offline, channel: 0, electrodes: new ElectrodeState(null), manual: new ManualSessionsState(offline, { store: null, storageError: null, recordsChanged() {}, queueFinishedForSync() {} } as unknown as ManualServices, () => 'self') } });
    // 62.5 mA · 400 µs = 25 µC; energy I² · R · (2 · pw) = 0.0625² A² · 500 Ω · 800 µs = 1.5625 mJ.
    expect(screen.getByTestId('charge-0').textContent).toMatch(/25\.00 µC.*limit 25 µC/);
    expect(screen.getByTestId('energy-0').textContent).toMatch(/1\.563 mJ/);
    expect(screen.getByText(/Energy per pulse into 500 Ω/)).toBeTruthy();
  });

  test('typing an amplitude past the cap is refused, naming charge per phase', async () => {
    const d = acupunctureAt400Us();
    render(ChannelCard, { props: { draft: d, connection: offline, channel: 0, electrodes: new ElectrodeState(null), manual: new ManualSessionsState(offline, { store: null, storageError: null, recordsChanged() {}, queueFinishedForSync() {} } as unknown as ManualServices, () => 'self') } });
    const input = screen.getByLabelText(/Target amplitude/) as HTMLInputElement;
    await fireEvent.input(input, { target: { value: '70' } });
    await fireEvent.change(input);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/above the 62\.5 mA limit \(charge per phase: charge per phase ≤ 25 µC at 400 µs\)/);
    expect(d.program.amplitudeUa).not.toBe(70_000);
  });
});

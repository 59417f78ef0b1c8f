/**
 * The Session screen takes the session length in minutes, as the presets speak; seconds are one switch
 * away for short test runs.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import SessionScreen from '../../src/ui/screens/SessionScreen.svelte';
import { BoardConnectionState } from '../../src/ui/state/connection.svelte.ts';
import { DensityOverrideState } from '../../src/ui/state/densityOverride.svelte.ts';
import { ElectrodeState } from '../../src/ui/state/electrodes.svelte.ts';
import type { AppServices } from '../../src/ui/state/services.svelte.ts';
import { SessionScreenState } from '../../src/ui/state/session.svelte.ts';

function renderSession(): void {
  const connection = new BoardConnectionState(null);
  const services = { store: null, db: null, storageError: null, recovered: [], recordsVersion: 0, labSyncConfigured: false, recordsChanged() {}, queueFinishedForSync: () => Promise.resolve() } as unknown as AppServices;
  const densityOverride = new DensityOverrideState();
  const session = new SessionScreenState(connection, services, densityOverride);
  render(SessionScreen, { props: { connection, session, services, electrodes: new ElectrodeState(null), densityOverride } });
}

describe('session length', () => {
  test('is entered in minutes by default (a 30-minute preset reads 30.0 min)', () => {
    renderSession();
    const input = screen.getByLabelText(/Session length/) as HTMLInputElement;
    expect(screen.getByText('(min)', { selector: 'label[for="session-duration"] .unit' })).toBeTruthy();
    expect(input.value).toBe('30.0');
  });

  test('seconds on request, for short test runs: the same length reads 1800 s, and 18 s can be typed', async () => {
    renderSession();
    await fireEvent.click(screen.getByTestId('session-length-seconds'));
    const input = screen.getByLabelText(/Session length/) as HTMLInputElement;
    expect(screen.getByText('(s)', { selector: 'label[for="session-duration"] .unit' })).toBeTruthy();
    expect(input.value).toBe('1800');
    await fireEvent.input(input, { target: { value: '18' } });
    await fireEvent.change(input);
    expect(input.value).toBe('18');
    expect(screen.queryByRole('alert', { name: /Refused/ })).toBeNull();
  });
});

/**
 * The Session screen names the limit that binds: the preset's own length and amplitude ceiling are the
 * preset's, not the mode table's.
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

describe('Session screen: which limit binds', () => {
  test('the session length is bounded by the preset, and says so', () => {
    renderSession();
    const limits = document.getElementById('session-duration-limits')!;
    expect(limits.textContent).toMatch(/max: preset \(the preset length/);
    expect(limits.textContent).not.toMatch(/mode table/);
  });

  test('the target amplitude is bounded by the preset ceiling, named "preset"', async () => {
    renderSession();
    await fireEvent.click(screen.getByTestId('titrate'));
    const limits = document.getElementById('session-target-limits')!;
    expect(limits.textContent).toMatch(/max: preset \(the preset's amplitude ceiling\)/);
    expect(limits.textContent).not.toMatch(/mode table/);
  });
});

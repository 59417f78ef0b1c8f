/** The Session screen says, in one panel, which implanted techniques a surface board cannot do, with sources. */
import { render, screen } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import SessionScreen from '../../src/ui/screens/SessionScreen.svelte';
import { BoardConnectionState } from '../../src/ui/state/connection.svelte.ts';
import { DensityOverrideState } from '../../src/ui/state/densityOverride.svelte.ts';
import { ElectrodeState } from '../../src/ui/state/electrodes.svelte.ts';
import type { AppServices } from '../../src/ui/state/services.svelte.ts';
import { SessionScreenState } from '../../src/ui/state/session.svelte.ts';

describe('Session screen: implanted stimulation is out of reach', () => {
  test('one panel names each implanted technique and cites the reviews by DOI; the programme tab is not called long-term', () => {
    const connection = new BoardConnectionState(null);
    const services = { store: null, db: null, storageError: null, recovered: [], recordsVersion: 0, labSyncConfigured: false, recordsChanged() {}, queueFinishedForSync: () => Promise.resolve() } as unknown as AppServices;
    const densityOverride = new DensityOverrideState();
    render(SessionScreen, { props: { connection, session: new SessionScreenState(connection, services, densityOverride), services, electrodes: new ElectrodeState(null), densityOverride } });
    const panels = screen.getAllByTestId('implanted-scope');
    expect(panels).toHaveLength(1);
    const text = panels[0]!.textContent!;
    for (const technique of [/implanted leads and an implanted pulse generator/, /Dorsal root ganglion \(DRG\) and spinal nerve root stimulation/, /Peripheral nerve field stimulation/, /Occipital nerve stimulation/, /High-frequency \(kilohertz\) nerve block/]) {
      expect(text).toMatch(technique);
    }
    expect(text).toMatch(/10\.1186\/s42234-020-00045-5/);
    expect(text).toMatch(/10\.1016\/j\.neurol\.2020\.01\.361/);
    expect(screen.queryByLabelText(/Long-term/)).toBeNull();
    expect(screen.getByLabelText('Sessions of multi-week surface TENS programmes')).toBeTruthy();
  });
});

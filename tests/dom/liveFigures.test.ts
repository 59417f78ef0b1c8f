/**
 * The channel card's derived figures (r.m.s., charge per phase, energy, density) follow the live target
 * while the channel runs, with the delivered value beside it, instead of the drafted amplitude.
 */
import { render, screen } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import { chargePerPhaseNc, rmsCurrentUa, type ChannelStatus } from '../../firmware-protocol/src/index.ts';
import ChannelCard from '../../src/ui/components/ChannelCard.svelte';
import { ChannelDraftState } from '../../src/ui/state/channelDraft.svelte.ts';
import type { BoardConnectionState } from '../../src/ui/state/connection.svelte.ts';
import { ElectrodeState } from '../../src/ui/state/electrodes.svelte.ts';
import { ManualSessionsState, type ManualServices } from '../../src/ui/state/manualSessions.svelte.ts';

function card(channels: ChannelStatus[]): ChannelDraftState {
  const draft = new ChannelDraftState(0);
  draft.set('amplitudeUa', 8_000);
  draft.setContext({ electrodeAreaCm2: 25 });
  const connection = { channels, connected: channels.length > 0, device: null, state: channels.some((c) => c.state !== 'idle') ? 'stimulating' : 'ready' } as unknown as BoardConnectionState;
  const services = { store: null, storageError: null, recordsChanged() {}, queueFinishedForSync() {} } as unknown as ManualServices;
  render(ChannelCard, { props: { draft, connection, channel: 0, electrodes: new ElectrodeState(null), manual: new ManualSessionsState(connection, services, () => 'self') } });
  return draft;
}

describe('derived figures follow the live amplitude', () => {
  test('idle: figures are at the drafted amplitude', () => {
    const draft = card([{ channel: 0, state: 'idle', amplitudeUa: 0, targetUa: 0, elapsedMs: 0 }]);
    expect(screen.getByTestId('figures-at-0').textContent).toMatch(/drafted amplitude, 8\.0 mA/);
    expect(screen.getByTestId('rms-0').textContent).toMatch(new RegExp(`^${(rmsCurrentUa(draft.program) / 1000).toFixed(2)} mA`));
  });

  test('running at 60 mA while the draft says 8 mA: r.m.s., charge and density are at 60 mA, delivered shown beside', () => {
    const draft = card([{ channel: 0, state: 'ramping-up', amplitudeUa: 42_000, targetUa: 60_000, elapsedMs: 5_000 }]);
    const p = draft.program;
    expect(screen.getByTestId('figures-at-0').textContent).toMatch(/present target, 60\.0 mA\s*\(delivered now 42\.0 mA\)/);
    expect(screen.getByTestId('rms-0').textContent).toMatch(new RegExp(`^${(rmsCurrentUa(p, 60_000) / 1000).toFixed(2)} mA`));
    expect(screen.getByTestId('charge-0').textContent).toMatch(new RegExp(`^${(chargePerPhaseNc(p, 60_000) / 1000).toFixed(2)} µC`));
    expect(screen.getByTestId('density-0').textContent).toBe(`${(rmsCurrentUa(p, 60_000) / 25 / 1000).toFixed(3)} mA/cm²`);
    // Not the drafted 8 mA figures.
    expect(screen.getByTestId('rms-0').textContent).not.toMatch(new RegExp(`^${(rmsCurrentUa(p) / 1000).toFixed(2)} mA`));
  });
});

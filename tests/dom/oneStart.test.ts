/**
 * One Start on the Control screen: with no "Send program" first, Start checks the draft and hands it to
 * the manual session (whose engine sends SET_PROGRAM, then START from 0 mA); an invalid draft is refused
 * in words and nothing is handed on.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, test, vi } from 'vitest';
import type { Program } from '../../firmware-protocol/src/index.ts';
import ChannelCard from '../../src/ui/components/ChannelCard.svelte';
import { ChannelDraftState } from '../../src/ui/state/channelDraft.svelte.ts';
import type { BoardConnectionState } from '../../src/ui/state/connection.svelte.ts';
import { ElectrodeState } from '../../src/ui/state/electrodes.svelte.ts';
import type { ManualSessionsState } from '../../src/ui/state/manualSessions.svelte.ts';

function renderCard(areaCm2: number | null) {
  const draft = new ChannelDraftState(0);
  draft.set('amplitudeUa', 5_000);
  draft.setContext(areaCm2 === null ? {} : { electrodeAreaCm2: areaCm2 });
  const setProgram = vi.fn(async (p: Program) => p);
  const connection = {
    channels: [{ channel: 0, state: 'idle', amplitudeUa: 0, targetUa: 0, elapsedMs: 0 }],
    connected: true,
    state: 'ready',
    device: { setProgram },
  } as unknown as BoardConnectionState;
  const start = vi.fn(async (_program: Program) => {});
  const manual = { start, snapshot: () => null, active: () => false, error: () => null, participant: 'self' } as unknown as ManualSessionsState;
  render(ChannelCard, { props: { draft, connection, channel: 0, electrodes: new ElectrodeState(null), manual } });
  return { draft, start, setProgram };
}

describe('Start on the Control screen sends the draft itself', () => {
  test('Start is enabled on a connected, idle board before any "Send program", and starts the drafted program', async () => {
    const { draft, start, setProgram } = renderCard(25);
    const button = screen.getByTestId('start-0') as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    await fireEvent.click(button);
    await vi.waitFor(() => expect(start).toHaveBeenCalledTimes(1));
    expect(start.mock.calls[0]![0]).toEqual(draft.program);
    // The engine sends the program; the card does not send a second copy.
    expect(setProgram).not.toHaveBeenCalled();
  });

  test('an invalid draft (no electrode pads) is refused in words and nothing starts', async () => {
    const { start } = renderCard(null);
    await fireEvent.click(screen.getByTestId('start-0'));
    const message = await screen.findByTestId('channel-message-0');
    expect(message.textContent).toMatch(/^Not started: .*no electrode chosen for channel 1/);
    expect(start).not.toHaveBeenCalled();
  });
});

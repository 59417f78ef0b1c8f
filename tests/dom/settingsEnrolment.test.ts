/**
 * Settings: a bench enrols by pasting its one-time enrolment link. The exchange (POST to the link without
 * its fragment) is answered by a stubbed fetch here; the server side is proven in tests/server/labSuite.ts.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import SettingsScreen from '../../src/ui/screens/SettingsScreen.svelte';
import { BoardConnectionState } from '../../src/ui/state/connection.svelte.ts';
import { ParticipantState } from '../../src/ui/state/participant.svelte.ts';
import { SettingsState } from '../../src/ui/state/settings.svelte.ts';

const CODE = `sbe_${'Q'.repeat(43)}`;

function renderSettings() {
  const settings = new SettingsState(null);
  render(SettingsScreen, { props: { settings, connection: new BoardConnectionState(null), participant: new ParticipantState(null) } });
  return settings;
}

async function paste(link: string) {
  await fireEvent.input(screen.getByTestId('enrolment-link'), { target: { value: link } });
  await fireEvent.click(screen.getByRole('button', { name: 'Enrol this bench' }));
}

afterEach(() => vi.unstubAllGlobals());

describe('Settings: enrolment link', () => {
  test('a link is exchanged once for a token; the server URL and token are stored and the result said in plain words', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ benchId: 'b1', name: 'bench 3', token: 'sbb_issued-token-0123456789' }), { status: 201 }));
    vi.stubGlobal('fetch', fetchMock);
    const settings = renderSettings();
    await paste(`https://lab.example/api/enrol#${CODE}`);
    await waitFor(() => expect(screen.getByTestId('enrolment-message').textContent).toBe('Enrolled as bench "bench 3". Finished records will be sent to https://lab.example/api/records.'));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock).toHaveBeenCalledWith('https://lab.example/api/enrol', expect.objectContaining({ method: 'POST', body: JSON.stringify({ code: CODE }) }));
    expect({ url: settings.labServerUrl, token: settings.labToken }).toEqual({ url: 'https://lab.example/api/records', token: 'sbb_issued-token-0123456789' });
  });

  test('a used link shows the server\'s reason and changes nothing', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: 'ENROLMENT_USED', message: 'this enrolment link has already been used: it works once; ask the administrator for a new link' }), { status: 410 })));
    const settings = renderSettings();
    await paste(`https://lab.example/api/enrol#${CODE}`);
    await waitFor(() => expect(screen.getByTestId('enrolment-message').textContent).toBe('Not enrolled: this enrolment link has already been used: it works once; ask the administrator for a new link (ENROLMENT_USED)'));
    expect({ url: settings.labServerUrl, token: settings.labToken }).toEqual({ url: '', token: '' });
  });

  test('text that is not an enrolment link is refused without a request', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    renderSettings();
    await paste('https://lab.example/api/records');
    expect(screen.getByTestId('enrolment-message').textContent).toMatch(/^That is not an enrolment link/);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

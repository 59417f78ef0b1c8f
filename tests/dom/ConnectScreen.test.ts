import { render, screen } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import ConnectScreen from '../../src/ui/screens/ConnectScreen.svelte';
import { BoardConnectionState } from '../../src/ui/state/connection.svelte.ts';

describe('Connect screen in a browser without Web Serial or WebUSB (Firefox, Safari)', () => {
  test('says why hardware is unavailable and still offers the simulated board', () => {
    expect('serial' in navigator).toBe(false);
    render(ConnectScreen, { props: { connection: new BoardConnectionState(null) } });
    expect(screen.getByRole('note').textContent).toMatch(/neither Web Serial nor WebUSB/);
    const sim = screen.getByTestId('connect-simulated');
    expect(sim.textContent).toMatch(/Connect simulated board/);
    expect((sim as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getAllByText(/Unavailable:/).length).toBe(2);
  });

  test('offers to reconnect to the last board it remembers', () => {
    const storage = new Map<string, string>([
      ['stimbench.lastBoard.v1', JSON.stringify({ kind: 'simulated', label: 'Simulated board (SIM-0001)', serialNumber: 'SIM-0001' })],
    ]);
    const connection = new BoardConnectionState({ getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) });
    render(ConnectScreen, { props: { connection } });
    expect(screen.getByTestId('reconnect-last').textContent).toMatch(/Reconnect to this board/);
    expect(screen.getByText(/Last board:/).textContent).toMatch(/SIM-0001/);
  });
});

/**
 * Board check's state, on a simulated board on virtual time: it refuses to start without the dummy-load
 * confirmation (nothing is opened), runs the suite and keeps the report, and the app's ESTOP path
 * (BoardConnectionState.estop: STOP, Space, Escape, page exit) reaches a running check and cuts the output.
 */
import { describe, expect, test, vi } from 'vitest';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';
import { SimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';
import { BoardCheckState } from '../../src/ui/state/boardCheck.svelte.ts';
import { BoardConnectionState } from '../../src/ui/state/connection.svelte.ts';

function setup() {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock, channelCount: 2 });
  const connection = new BoardConnectionState(null);
  const openTransport = vi.fn(async () => ({ transport: new SimulatedTransport(board), simulatedPort: null }));
  const check = new BoardCheckState(connection, {
    openTransport,
    timer: { now: () => clock.now(), sleep: (ms) => clock.advance(ms) },
    now: () => Date.UTC(2026, 11, 8),
    software: 'test',
  });
  return { clock, board, connection, check, openTransport };
}

describe('Board check state', () => {
  test('without the dummy-load confirmation nothing is opened and the reason is given', async () => {
    const s = setup();
    await s.check.run('simulated');
    expect(s.openTransport).not.toHaveBeenCalled();
    expect(s.check.error).toMatch(/dummy load \(a resistor\), not a person/);
    expect(s.check.report).toBeNull();
    s.board.destroy();
  });

  test('a confirmed run keeps the report and offers it as JSON and as a printable page', async () => {
    const s = setup();
    s.check.dummyLoadConfirmed = true;
    await s.check.run('simulated');
    expect(s.check.error).toBeNull();
    expect(s.check.report?.pass).toBe(true);
    expect(s.check.results).toHaveLength(13);
    expect(s.check.phase).toBe('done');
    expect(JSON.parse(s.check.jsonFile()!.text)).toMatchObject({ format: 'stimbench-board-check', report: { pass: true } });
    expect(s.check.htmlFile()!.text).toContain('Passed: all 13 checks');
    s.board.destroy();
  });

  test("the connection's ESTOP reaches a running check: output to 0 mA at once, the check ends as stopped", async () => {
    const s = setup();
    s.check.dummyLoadConfirmed = true;
    let outputAtStop = 0;
    // Stop 40 ms into the ESTOP check, while it holds output on: as if STOP were pressed.
    const running = s.check.run('simulated');
    const poll = async () => {
      while (!s.check.current || s.check.current.title !== 'ESTOP drops every channel to 0 mA at once and stays latched until cleared') await s.clock.advance(1);
    };
    await poll();
    await s.clock.advance(40);
    outputAtStop = s.board.outputUa(0) + s.board.outputUa(1);
    await s.connection.estop();
    await s.clock.advance(1);
    expect(s.board.outputUa(0) + s.board.outputUa(1)).toBe(0);
    await running;
    expect(outputAtStop).toBeGreaterThan(0);
    expect(s.board.fault).toBe('estop');
    expect(s.check.stopped).toBe(true);
    expect(s.check.report?.pass).toBe(false);
    s.board.destroy();
  });
});

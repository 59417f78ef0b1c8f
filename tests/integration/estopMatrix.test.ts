/** ESTOP from every client state, against the simulated board. */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../firmware-protocol/src/index.ts';
import { ConnectionLostError, NotConnectedError } from '../../src/lib/device/errors.ts';
import { enterPhase, PHASES } from './support/phases.ts';
import { connectedRig, makeRig, settle } from './support/rig.ts';

describe('ESTOP from every state', () => {
  it('disconnected: a clear NotConnectedError; nothing reaches the board', async () => {
    const rig = makeRig();
    const error = await rig.client.estop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotConnectedError);
    expect((error as Error).message).toMatch(/no board connected/);
    expect(rig.board.stats.framesIn).toBe(0);
    expect(rig.totalOutputUa()).toBe(0);
  });

  it('connecting: ESTOP is the first frame the board sees; the client ends connected and faulted', async () => {
    const rig = makeRig();
    const seen: Message['type'][] = [];
    rig.board.onFrame((dir, m) => {
      if (dir === 'in') seen.push(m.type);
    });
    const connecting = rig.client.connect();
    expect(rig.client.state).toBe('connecting');
    const estop = rig.client.estop();
    await settle(rig.clock, Promise.all([connecting, estop]));
    expect(seen.slice(0, 2)).toEqual(['estop', 'hello']);
    expect(rig.board.fault).toBe('estop');
    expect(rig.client.state).toBe('faulted');
    expect(rig.totalOutputUa()).toBe(0);
  });

  it('ready: board latches estop, client faulted, output 0', async () => {
    const rig = await connectedRig();
    await settle(rig.clock, rig.client.estop());
    await rig.clock.advance(5);
    expect(rig.board.fault).toBe('estop');
    expect(rig.client.state).toBe('faulted');
    expect(rig.events.faults.at(-1)).toMatchObject({ source: 'board', code: 'estop' });
    expect(rig.totalOutputUa()).toBe(0);
  });

  for (const phase of PHASES) {
    it(`stimulating, ${phase}: output is 0 by the time estop() resolves (no clock advance), and stays 0`, async () => {
      const rig = await connectedRig();
      await enterPhase(rig, phase);
      expect(rig.client.state).toBe('stimulating');
      await rig.client.estop();
      expect(rig.totalOutputUa()).toBe(0);
      await rig.clock.advance(5);
      expect(rig.client.state).toBe('faulted');
      expect(rig.board.fault).toBe('estop');
      await rig.clock.advance(10_000);
      expect(rig.totalOutputUa()).toBe(0);
    });
  }

  it('both channels stimulating: every channel is cut', async () => {
    const rig = await connectedRig();
    const { PROGRAM } = await import('./support/rig.ts');
    await settle(rig.clock, rig.client.setProgram(PROGRAM));
    await settle(rig.clock, rig.client.setProgram({ ...PROGRAM, channel: 1 }));
    await settle(rig.clock, rig.client.start(0));
    await settle(rig.clock, rig.client.start(1));
    await rig.clock.advance(6_000);
    expect(rig.outputs()).toEqual([20_000, 20_000]);
    await rig.client.estop();
    expect(rig.outputs()).toEqual([0, 0]);
  });

  it('faulted (electrode off): ESTOP still goes out and latches', async () => {
    const rig = await connectedRig();
    await enterPhase(rig, 'holding');
    rig.board.inject.electrodeOff(0);
    await rig.clock.advance(5);
    expect(rig.client.state).toBe('faulted');
    await settle(rig.clock, rig.client.estop());
    await rig.clock.advance(5);
    expect(rig.board.fault).toBe('estop');
    expect(rig.totalOutputUa()).toBe(0);
  });

  it('lost: a clear ConnectionLostError naming the watchdog; the board watchdog has output at 0', async () => {
    const rig = await connectedRig();
    await enterPhase(rig, 'holding');
    rig.board.inject.unplug();
    await rig.clock.advance(1);
    const error = await rig.client.estop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect((error as Error).message).toMatch(/watchdog \(500 ms\)/);
    await rig.clock.advance(500);
    expect(rig.totalOutputUa()).toBe(0);
  });
});

/**
 * The fault matrix: each fault ends with zero output at the board and the right event at the
 * client, and nothing resumes by itself afterwards.
 */
import { describe, expect, it } from 'vitest';
import { IncompatibleFirmwareError } from '../../src/lib/device/errors.ts';
import { clockHeartbeatDriver, type HeartbeatDriver } from '../../src/lib/device/HeartbeatDriver.ts';
import { VirtualClock } from '../../hardware-mock/src/index.ts';
import { enterPhase, PHASES, watchOutputAfter } from './support/phases.ts';
import { connectedRig, makeRig, PROGRAM, settle } from './support/rig.ts';

const WATCHDOG_MS = 500;

describe('fault matrix', () => {
  for (const phase of PHASES) {
    it(`unplug during ${phase}: client lost + connection-lost; the board watchdog zeroes output within ${WATCHDOG_MS} ms; a reconnect never resumes`, async () => {
      const rig = await connectedRig();
      await enterPhase(rig, phase);
      const watch = watchOutputAfter(rig);
      const unpluggedAt = rig.clock.now();
      watch.setDeadline(unpluggedAt + WATCHDOG_MS);
      rig.board.inject.unplug();
      await rig.clock.advance(1);
      expect(rig.client.state).toBe('lost');
      expect(rig.events.faults.at(-1)).toMatchObject({ source: 'client', code: 'connection-lost' });
      await rig.clock.advance(WATCHDOG_MS);
      expect(rig.totalOutputUa()).toBe(0);
      expect(rig.board.fault).toBe('watchdog');
      await rig.clock.advance(5_000);
      expect(watch.late).toEqual([]);
      // Cable back in, connect again: the latched watchdog fault shows, and nothing restarts.
      rig.board.inject.replug();
      await settle(rig.clock, rig.client.connect());
      expect(rig.client.state).toBe('faulted');
      expect(rig.client.verifiedProgram(0)).toBeNull();
      await rig.clock.advance(5_000);
      expect(rig.totalOutputUa()).toBe(0);
    });
  }

  it('electrode off during hold: output 0 at once, board fault electrodeOff on channel 0, client faulted', async () => {
    const rig = await connectedRig();
    await enterPhase(rig, 'holding');
    rig.board.inject.electrodeOff(0);
    expect(rig.totalOutputUa()).toBe(0);
    await rig.clock.advance(5);
    expect(rig.events.faults.at(-1)).toMatchObject({ source: 'board', code: 'electrodeOff', channel: 0 });
    // The words a user reads number channels from 1 (channel 0 on the wire is "channel 1").
    expect(rig.events.faults.at(-1)!.message).toMatch(/^board fault "electrodeOff" on channel 1 \(detail \d+\)$/);
    expect(rig.client.state).toBe('faulted');
    await expect(rig.client.start(0)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await rig.clock.advance(5_000);
    expect(rig.totalOutputUa()).toBe(0);
  });

  it('board reset mid-session: output 0, client fault board-reset, faulted; nothing resumes', async () => {
    const rig = await connectedRig();
    await enterPhase(rig, 'holding');
    let startsAfterReset = 0;
    rig.board.onFrame((dir, m) => {
      if (dir === 'in' && m.type === 'start') startsAfterReset++;
    });
    rig.board.inject.reset();
    expect(rig.totalOutputUa()).toBe(0);
    await rig.clock.advance(200);
    expect(rig.events.faults.map((f) => `${f.source}:${f.code}`)).toEqual(expect.arrayContaining(['board:reset', 'client:board-reset']));
    expect(rig.client.state).toBe('faulted');
    expect(rig.client.verifiedProgram(0)).toBeNull();
    await rig.clock.advance(10_000);
    expect(rig.totalOutputUa()).toBe(0);
    expect(startsAfterReset).toBe(0);
    // Recovery is explicit: clearFault() says HELLO again; still no program, still no output.
    await settle(rig.clock, rig.client.clearFault());
    expect(rig.client.state).toBe('ready');
    expect(rig.board.helloDone).toBe(true);
    expect(rig.board.program(0)).toBeNull();
    expect(rig.totalOutputUa()).toBe(0);
  });

  it('frozen firmware during hold: hardware watchdog cuts output within its period; client fault board-silent', async () => {
    const rig = await connectedRig();
    await enterPhase(rig, 'holding');
    const watch = watchOutputAfter(rig);
    const frozenAt = rig.clock.now();
    watch.setDeadline(frozenAt + WATCHDOG_MS);
    rig.board.inject.freeze();
    await rig.clock.advance(WATCHDOG_MS);
    expect(rig.totalOutputUa()).toBe(0);
    await rig.clock.advance(300);
    expect(rig.events.faults.at(-1)).toMatchObject({ source: 'client', code: 'board-silent' });
    expect(rig.client.state).toBe('faulted');
    await rig.clock.advance(5_000);
    expect(watch.late).toEqual([]);
    // The firmware comes back as after a reset; the client's pending ESTOP is honoured; nothing resumes.
    rig.board.inject.unfreeze();
    await rig.clock.advance(1_000);
    expect(rig.events.faults.map((f) => f.code)).toContain('board-reset');
    expect(rig.board.fault).toBe('estop');
    expect(rig.totalOutputUa()).toBe(0);
    expect(rig.client.state).toBe('faulted');
  });

  it('host heartbeat stopped (tab frozen): the board watchdog zeroes output within its period of the last frame; client sees fault watchdog', async () => {
    // A heartbeat driver that stops ticking, as timers do in a frozen or discarded tab.
    let frozen = false;
    const clock = new VirtualClock();
    const inner = clockHeartbeatDriver(clock);
    const heartbeatDriver: HeartbeatDriver = { start: (tick, ms) => inner.start(() => frozen || tick(), ms), stop: () => inner.stop() };
    const rig = await connectedRig({ clock, client: { heartbeatDriver } });
    const c = rig.client;
    const faults: string[] = [];
    c.on('fault', (f) => faults.push(`${f.source}:${f.code}`));
    await settle(rig.clock, c.setProgram(PROGRAM));
    await settle(rig.clock, c.start(0));
    await rig.clock.advance(10_000);
    expect(rig.board.outputUa(0)).toBe(20_000);
    let lastInMs = 0;
    rig.board.onFrame((dir) => {
      if (dir === 'in') lastInMs = rig.clock.now();
    });
    frozen = true;
    const frozenAt = rig.clock.now();
    await rig.clock.advance(WATCHDOG_MS);
    expect(rig.totalOutputUa()).toBe(0);
    expect(rig.board.fault).toBe('watchdog');
    expect(lastInMs).toBeLessThanOrEqual(frozenAt);
    await rig.clock.advance(10);
    expect(faults).toContain('board:watchdog');
    expect(c.state).toBe('faulted');
  });

  it('incompatible firmware (board speaks protocol v2 only): IncompatibleFirmwareError, disconnected, port closed, no output', async () => {
    const rig = makeRig({ board: { protocolVersions: [2] } });
    const error = await settle(rig.clock, rig.client.connect()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompatibleFirmwareError);
    expect(error).toMatchObject({ expected: { min: 1, max: 1 }, got: { min: 2, max: 2 } });
    expect(rig.client.state).toBe('disconnected');
    expect(rig.board.port.isOpen).toBe(false);
    expect(rig.board.helloDone).toBe(false);
    expect(rig.totalOutputUa()).toBe(0);
  });
});

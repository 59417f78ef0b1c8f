/** StimulatorClient ↔ SimulatedBoard through createSimulatedTransport, one test per message. */
import { describe, expect, it } from 'vitest';
import { ALL_CHANNELS, type TelemetryMessage } from '../../firmware-protocol/src/index.ts';
import { DEFAULT_CAPS, effectiveImpedanceOhm, DEFAULT_LOAD, IMPEDANCE_TEST_PULSE_US } from '../../hardware-mock/src/index.ts';
import { NackError } from '../../src/lib/device/errors.ts';
import { connectedRig, makeRig, PROGRAM, settle, stimulate } from './support/rig.ts';

describe('every message, client ↔ simulated board', () => {
  it('HELLO → INFO: version negotiated, caps and identity from the board', async () => {
    const rig = makeRig();
    const info = await settle(rig.clock, rig.client.connect());
    expect(info).toMatchObject({ protocolVersion: 1, firmwareMajor: 1, watchdogMs: 500, telemetryRateHz: 1000, serialNumber: 'SIM-0001' });
    expect(info.caps).toEqual({ channelCount: 2, ...DEFAULT_CAPS });
    expect(rig.board.helloDone).toBe(true);
    expect(rig.client.state).toBe('ready');
    expect(rig.client.identity).toMatchObject({ kind: 'simulated', label: 'Simulated board (SIM-0001)', serialNumber: 'SIM-0001', usbVendorId: 0x1209, usbProductId: 0x5354 });
    expect(rig.client.validationContext.caps).toEqual(info.caps);
  });

  it('GET_INFO → INFO', async () => {
    const rig = await connectedRig();
    const info = await settle(rig.clock, rig.client.getInfo());
    expect(info.serialNumber).toBe('SIM-0001');
  });

  it('GET_STATUS → STATUS matching the board', async () => {
    const rig = await connectedRig();
    await stimulate(rig, 1_000);
    const status = await settle(rig.clock, rig.client.getStatus());
    expect(status.fault).toBeNull();
    expect(status.helloDone).toBe(true);
    expect(status.channels[0]).toMatchObject({ channel: 0, state: 'ramping-up', targetUa: 20_000 });
    expect(Math.abs(status.channels[0]!.amplitudeUa - rig.board.channelStatus(0).amplitudeUa)).toBeLessThanOrEqual(20); // ≤ 2 ms of ramp apart
    expect(status.channels[1]).toMatchObject({ channel: 1, state: 'idle', amplitudeUa: 0 });
  });

  it('SET_PROGRAM → ACK echo; the board stores exactly what was sent', async () => {
    const rig = await connectedRig();
    const echoed = await settle(rig.clock, rig.client.setProgram(PROGRAM));
    expect(echoed).toEqual(PROGRAM);
    expect(rig.board.program(0)).toEqual(PROGRAM);
    expect(rig.client.verifiedProgram(0)).toEqual(PROGRAM);
  });

  it('START → ramps from 0 to the amplitude over rampUpMs, then holds; state stimulating', async () => {
    const rig = await connectedRig();
    await settle(rig.clock, rig.client.setProgram(PROGRAM));
    await settle(rig.clock, rig.client.start(0));
    expect(rig.client.state).toBe('stimulating');
    await rig.clock.advance(1_000);
    expect(rig.board.outputUa(0)).toBeGreaterThan(3_000);
    expect(rig.board.outputUa(0)).toBeLessThanOrEqual(5_500);
    await rig.clock.advance(4_000);
    expect(rig.board.outputUa(0)).toBe(20_000);
    expect(rig.board.channelStatus(0).state).toBe('holding');
    expect(rig.board.outputUa(1)).toBe(0);
  });

  it('SET_AMPLITUDE while holding → ACK echo; rises slewed at ≤ 10 mA/s, falls at once', async () => {
    const rig = await connectedRig();
    await stimulate(rig, 5_000);
    expect(await settle(rig.clock, rig.client.setAmplitude(0, 30_000))).toBe(30_000);
    await rig.clock.advance(500);
    expect(rig.board.outputUa(0)).toBeLessThanOrEqual(25_100);
    await rig.clock.advance(1_000);
    expect(rig.board.outputUa(0)).toBe(30_000);
    await settle(rig.clock, rig.client.setAmplitude(0, 10_000));
    expect(rig.board.outputUa(0)).toBe(10_000);
  });

  it('STOP → ramps down over rampDownMs to idle; the client goes back to ready', async () => {
    const rig = await connectedRig();
    await stimulate(rig, 5_000);
    await settle(rig.clock, rig.client.stop(0));
    await rig.clock.advance(1_000);
    expect(rig.board.outputUa(0)).toBeGreaterThan(0);
    expect(rig.board.outputUa(0)).toBeLessThan(20_000);
    await rig.clock.advance(1_100);
    expect(rig.board.outputUa(0)).toBe(0);
    expect(rig.client.state).toBe('ready');
  });

  it('STOP ALL_CHANNELS stops both channels', async () => {
    const rig = await connectedRig();
    await settle(rig.clock, rig.client.setProgram(PROGRAM));
    await settle(rig.clock, rig.client.setProgram({ ...PROGRAM, channel: 1 }));
    await settle(rig.clock, rig.client.start(0));
    await settle(rig.clock, rig.client.start(1));
    await rig.clock.advance(5_000);
    await settle(rig.clock, rig.client.stop(ALL_CHANNELS));
    await rig.clock.advance(2_100);
    expect(rig.outputs()).toEqual([0, 0]);
    expect(rig.client.state).toBe('ready');
  });

  it('ESTOP → output 0 before estop() resolves, fault estop latched; CLEAR_FAULT → ready, output stays 0', async () => {
    const rig = await connectedRig();
    await stimulate(rig, 5_000);
    await rig.client.estop();
    expect(rig.totalOutputUa()).toBe(0);
    await rig.clock.advance(10);
    expect(rig.board.fault).toBe('estop');
    expect(rig.client.state).toBe('faulted');
    expect(rig.events.faults.at(-1)).toMatchObject({ source: 'board', code: 'estop' });
    await settle(rig.clock, rig.client.clearFault());
    expect(rig.board.fault).toBeNull();
    expect(rig.client.state).toBe('ready');
    await rig.clock.advance(5_000);
    expect(rig.totalOutputUa()).toBe(0);
  });

  it('HEARTBEAT → ACK: a connected idle client keeps the board watchdog from tripping', async () => {
    const rig = await connectedRig();
    await rig.clock.advance(10_000);
    expect(rig.board.stats.watchdogTrips).toBe(0);
    const h = rig.client.linkHealth;
    expect(h.heartbeatsSent).toBeGreaterThanOrEqual(99);
    expect(h.heartbeatAcks).toBe(h.heartbeatsSent);
    expect(rig.client.state).toBe('ready');
  });

  it('MEASURE_IMPEDANCE → IMPEDANCE (±1 % of the load model), not ok with the electrode off', async () => {
    const rig = await connectedRig();
    const expected = effectiveImpedanceOhm(DEFAULT_LOAD, IMPEDANCE_TEST_PULSE_US);
    const good = await settle(rig.clock, rig.client.measureImpedance(0));
    expect(good.ok).toBe(true);
    expect(Math.abs(good.impedanceOhm - expected) / expected).toBeLessThanOrEqual(0.011);
    rig.board.inject.electrodeOff(1);
    const off = await settle(rig.clock, rig.client.measureImpedance(1));
    expect(off.ok).toBe(false);
    expect(off.impedanceOhm).toBeGreaterThanOrEqual(1_000_000);
  });

  it('START with the electrode off → NACK impedanceFail; nothing starts', async () => {
    const rig = await connectedRig();
    await settle(rig.clock, rig.client.setProgram(PROGRAM));
    rig.board.inject.electrodeOff(0);
    const error = await settle(rig.clock, rig.client.start(0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NackError);
    expect((error as NackError).nack.code).toBe('impedanceFail');
    await rig.clock.advance(1_000);
    expect(rig.board.outputUa(0)).toBe(0);
    expect(rig.client.state).toBe('ready');
  });

  it('TELEMETRY and STATUS events while stimulating; telemetry currents match the delivered output', async () => {
    const rig = await connectedRig();
    const batches: TelemetryMessage[] = [];
    rig.client.on('telemetry', (m) => batches.push(m));
    let statuses = 0;
    rig.client.on('status', () => statuses++);
    await stimulate(rig, 6_000);
    // Default batches: 100 ms = 100 samples at 1 kHz, so about 60 frames in 6 s.
    expect(batches.length).toBeGreaterThan(50);
    expect(batches.some((b) => b.samples.length === 100)).toBe(true);
    const last = batches.at(-1)!;
    expect(last.channel).toBe(0);
    expect(last.sampleIntervalUs).toBe(1_000);
    expect(last.samples.at(-1)!.currentUa).toBe(20_000);
    expect(statuses).toBeGreaterThan(0);
  });

  it('the board ends the session at durationMs (max-duration stop); the client sees ready', async () => {
    const rig = await connectedRig();
    await stimulate(rig, 10_000, { ...PROGRAM, durationMs: 8_000 });
    expect(rig.board.outputUa(0)).toBe(0);
    expect(rig.board.channelStatus(0).state).toBe('idle');
    expect(rig.client.state).toBe('ready');
  });

  it('disconnect() while stimulating: ramped STOP, then the port closes; output 0 and no watchdog fault', async () => {
    const rig = await connectedRig();
    await stimulate(rig, 5_000);
    await settle(rig.clock, rig.client.disconnect());
    expect(rig.client.state).toBe('disconnected');
    expect(rig.board.outputUa(0)).toBe(0);
    expect(rig.board.port.isOpen).toBe(false);
    expect(rig.board.fault).toBeNull();
  });
});

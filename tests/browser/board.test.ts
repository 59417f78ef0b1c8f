/**
 * The simulated board and the client in real Chromium (the browser's own WHATWG streams, DataView,
 * MessageChannel-based settling), on virtual time: the same stack the demo runs, minus the UI.
 */
import { expect, test } from 'vitest';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';
import { StimulatorClient } from '../../src/lib/device/StimulatorClient.ts';
import { createSimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';
import type { Program } from '../../firmware-protocol/src/index.ts';
import { PADS_5X5_CM2 } from '../fixtures/electrodes.ts';

const PROGRAM: Program = {
  channel: 0, mode: 'conventional', waveform: 'symmetric-biphasic', frequencyDeciHz: 1000, pulseWidthUs: 200,
  amplitudeUa: 10_000, durationMs: 60_000, rampUpMs: 2_000, rampDownMs: 1_000,
  burstPulses: 0, burstFrequencyDeciHz: 0, sweepHighDeciHz: 0, sweepPeriodMs: 0,
};

test('client and simulated board in Chromium: program, start, ESTOP to zero', async () => {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock });
  const client = new StimulatorClient(createSimulatedTransport(board), { clock, electrodeAreasCm2: PADS_5X5_CM2 });
  const connecting = client.connect();
  for (let i = 0; i < 50 && client.state !== 'ready'; i++) await clock.advance(10);
  const info = await connecting;
  expect(info.serialNumber).toBe('SIM-0001');

  const setting = client.setProgram(PROGRAM);
  await clock.advance(20);
  expect(await setting).toEqual(PROGRAM);
  const starting = client.start(0);
  await clock.advance(20);
  await starting;
  await clock.advance(5_000);
  expect(board.outputUa(0)).toBe(10_000);

  await client.estop();
  expect(board.outputUa(0)).toBe(0);
  await clock.advance(2_000);
  expect(board.outputUa(0)).toBe(0);
  expect(board.fault).toBe('estop');
  expect(client.state).toBe('faulted');
  board.destroy();
});

/**
 * Integration rig: a StimulatorClient and a SimulatedBoard on one VirtualClock, joined through
 * createSimulatedTransport — the same SerialPortTransport path the app uses for real boards.
 */
import type { Program } from '../../../firmware-protocol/src/index.ts';
import { SimulatedBoard, VirtualClock, type SimulatedBoardOptions } from '../../../hardware-mock/src/index.ts';
import { StimulatorClient, type StimulatorClientOptions } from '../../../src/lib/device/StimulatorClient.ts';
import { createSimulatedTransport } from '../../../src/lib/transport/SimulatedTransport.ts';
import type { Transport } from '../../../src/lib/transport/Transport.ts';
import { record, settle } from '../../device/fakes/harness.ts';

export { settle };

export interface RigOptions {
  /** Share a clock built beforehand (e.g. to build a heartbeat driver on it). */
  clock?: VirtualClock;
  board?: SimulatedBoardOptions;
  client?: StimulatorClientOptions;
  /** Wrap the transport (e.g. with TapTransport) before the client gets it. */
  wrap?: (t: Transport) => Transport;
}

export function makeRig(options: RigOptions = {}) {
  const clock = options.clock ?? new VirtualClock();
  const board = new SimulatedBoard({ clock, ...options.board });
  const simulated = createSimulatedTransport(board);
  const transport = options.wrap ? options.wrap(simulated) : simulated;
  const client = new StimulatorClient(transport, { clock, electrodeAreasCm2: PADS_5X5_CM2, ...options.client });
  const events = record(client);
  const outputs = () => Array.from({ length: board.channelCount }, (_, c) => board.outputUa(c));
  const totalOutputUa = () => outputs().reduce((a, b) => a + b, 0);
  return { clock, board, simulated, transport, client, events, outputs, totalOutputUa };
}

export async function connectedRig(options: RigOptions = {}) {
  const rig = makeRig(options);
  await settle(rig.clock, rig.client.connect());
  return rig;
}

export type Rig = ReturnType<typeof makeRig>;

/** 20 mA conventional TENS, 4 s up, 2 s down, 60 s in all. */
import { CONVENTIONAL as PROGRAM } from '../../fixtures/records.ts';
import { PADS_5X5_CM2 } from '../../fixtures/electrodes.ts';
export { PROGRAM };

/** setProgram + start on a connected rig, then advance `ms`. */
export async function stimulate(rig: Rig, ms: number, program: Program = PROGRAM): Promise<void> {
  await settle(rig.clock, rig.client.setProgram(program));
  await settle(rig.clock, rig.client.start(program.channel));
  await rig.clock.advance(ms);
}

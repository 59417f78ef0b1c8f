/** Shared set-up for client unit tests: a StimulatorClient on a ScriptedTransport and a VirtualClock. */
import { VirtualClock } from '../../../hardware-mock/src/clock.ts';
import { StimulatorClient, type StimulatorClientOptions } from '../../../src/lib/device/StimulatorClient.ts';
import type { CommandEvent, ConnectionState, DeviceFault } from '../../../src/lib/device/types.ts';
import { ScriptedTransport } from './ScriptedTransport.ts';
import { PADS_5X5_CM2 } from '../../fixtures/electrodes.ts';

export interface Recorded {
  states: ConnectionState[];
  faults: DeviceFault[];
  commands: CommandEvent[];
}

export function record(client: StimulatorClient): Recorded {
  const r: Recorded = { states: [], faults: [], commands: [] };
  client.on('state', (s) => r.states.push(s));
  client.on('fault', (f) => r.faults.push(f));
  client.on('command', (c) => r.commands.push(c));
  return r;
}

export function makeClient(options: StimulatorClientOptions = {}, transport = new ScriptedTransport()) {
  const clock = new VirtualClock();
  const client = new StimulatorClient(transport, { clock, electrodeAreasCm2: PADS_5X5_CM2, ...options });
  const events = record(client);
  return { clock, transport, client, events };
}

/** Run `promise` while advancing virtual time in steps until it settles (at most `maxMs`). */
export async function settle<T>(clock: VirtualClock, promise: Promise<T>, maxMs = 5_000, stepMs = 1): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => {});
  for (let t = 0; t < maxMs && !done; t += stepMs) await clock.advance(stepMs);
  return tracked;
}

export async function connected(options: StimulatorClientOptions = {}, transport = new ScriptedTransport()) {
  const h = makeClient(options, transport);
  await settle(h.clock, h.client.connect());
  return h;
}

export { CONVENTIONAL } from '../../fixtures/records.ts';

/**
 * The real path for end-to-end session tests: SimulatedBoard ← createSimulatedTransport ← StimulatorClient
 * ← SessionEngine → RecordStore (fake-indexeddb), all on one VirtualClock.
 */
import '../storage/helpers.ts';
import { SimulatedBoard, VirtualClock, type SimulatedBoardOptions } from '../../hardware-mock/src/index.ts';
import { StimulatorClient, type StimulatorClientOptions } from '../../src/lib/device/StimulatorClient.ts';
import { SessionEngine, type SessionEngineOptions } from '../../src/lib/session/SessionEngine.ts';
import { RecordStore } from '../../src/lib/storage/RecordStore.ts';
import { createSimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';
import { freshDb } from '../storage/helpers.ts';
import { PADS_5X5_CM2 } from '../fixtures/electrodes.ts';

export interface Rig {
  clock: VirtualClock;
  board: SimulatedBoard;
  client: StimulatorClient;
  store: RecordStore;
  dbName: string;
  engine(options?: Partial<SessionEngineOptions>): SessionEngine;
  /** Advance virtual time in steps until `done()` or `maxMs` passes. */
  runUntil(done: () => boolean, maxMs: number, stepMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function rig(boardOptions: SimulatedBoardOptions = {}, clientOptions: StimulatorClientOptions = {}): Promise<Rig> {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock, ...boardOptions });
  const client = new StimulatorClient(createSimulatedTransport(board), { clock, electrodeAreasCm2: PADS_5X5_CM2, ...clientOptions });
  const connecting = client.connect();
  for (let i = 0; i < 50 && client.state !== 'ready'; i++) await clock.advance(10);
  await connecting;
  const { db, name } = await freshDb('session');
  const store = new RecordStore(db);
  const runUntil = async (done: () => boolean, maxMs: number, stepMs = 1000) => {
    const end = clock.now() + maxMs;
    while (!done() && clock.now() < end) await clock.advance(Math.min(stepMs, end - clock.now()));
  };
  return {
    clock,
    board,
    client,
    store,
    dbName: name,
    engine: (options = {}) => new SessionEngine({ device: client, store, clock, ...options }),
    runUntil,
    async close() {
      db.close();
      board.destroy();
    },
  };
}

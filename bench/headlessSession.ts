/**
 * One session on the whole headless stack, on virtual time: SimulatedBoard ← simulated transport (bytes,
 * framing, CRC) ← StimulatorClient ← SessionEngine → a record port. Used by the programme benchmark to
 * see where simulated time goes.
 */
import { SimulatedBoard, VirtualClock } from '../hardware-mock/src/index.ts';
import { StimulatorClient } from '../src/lib/device/StimulatorClient.ts';
import { SessionEngine } from '../src/lib/session/SessionEngine.ts';
import type { CloseRecordInput, SessionRecordPort } from '../src/lib/session/recordPorts.ts';
import type { SessionPlan } from '../src/lib/session/SessionPlan.ts';
import type { RecordEvent, SessionRecord, SummaryChunk } from '../src/lib/session/recordTypes.ts';
import { createSimulatedTransport } from '../src/lib/transport/SimulatedTransport.ts';

/** Records kept in memory (what durable stores add is measured by the storage benchmarks). */
export class MemoryRecordPort implements SessionRecordPort {
  readonly records = new Map<string, SessionRecord>();
  events = 0;
  summaries = 0;
  async createRecord(record: SessionRecord): Promise<SessionRecord> {
    this.records.set(record.id, record);
    return record;
  }
  async appendEvent(_event: RecordEvent): Promise<void> {
    this.events++;
  }
  async putSummary(_chunk: SummaryChunk): Promise<void> {
    this.summaries++;
  }
  async closeRecord(recordId: string, input: CloseRecordInput): Promise<SessionRecord> {
    const r = this.records.get(recordId)!;
    const closed = { ...r, outcome: input.outcome, endedWallMs: input.endedWallMs, dose: input.dose } as SessionRecord;
    this.records.set(recordId, closed);
    return closed;
  }
  async setPain(recordId: string): Promise<SessionRecord> {
    return this.records.get(recordId)!;
  }
  async recordsTouching(): Promise<SessionRecord[]> {
    return [...this.records.values()];
  }
}

export interface HeadlessRig {
  clock: VirtualClock;
  board: SimulatedBoard;
  client: StimulatorClient;
  port: MemoryRecordPort;
  close(): void;
}

export async function headlessRig(telemetryRateHz = 1000): Promise<HeadlessRig> {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock, seed: 1, telemetryRateHz, telemetryBatchMs: 50 });
  const client = new StimulatorClient(createSimulatedTransport(board), { clock, electrodeAreasCm2: [25, 25] });
  const connecting = client.connect();
  for (let i = 0; i < 50 && client.state !== 'ready'; i++) await clock.advance(10);
  await connecting;
  return { clock, board, client, port: new MemoryRecordPort(), close: () => board.destroy() };
}

/** Run one planned session to its end; returns the record's outcome. */
export async function runSession(rig: HeadlessRig, plan: SessionPlan, stepMs = 10_000): Promise<string> {
  const engine = new SessionEngine({ device: rig.client, store: rig.port, clock: rig.clock, dailyCapMs: 24 * 3_600_000 });
  let settled = false;
  const finished = engine.finished.then(
    (r) => ((settled = true), r.outcome ?? 'none'),
    (e: unknown) => ((settled = true), `error: ${String(e)}`),
  );
  const starting = engine.start(plan);
  await rig.clock.advance(50);
  await starting;
  while (!settled) await rig.clock.advance(stepMs);
  return finished;
}

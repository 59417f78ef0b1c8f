/**
 * The versioned JSON export of one record: `{ format: 'stimbench-record', version: 1, exportedWallMs,
 * record, events, summaries }`, as a valibot schema, so an exported file (and what the lab server
 * receives) can be checked field by field. Summary arrays are plain integer arrays in JSON.
 */
import * as v from 'valibot';
import { CHANNEL_STATES, FAULT_CODES, FIELD_IDS, NACK_CODES, TYPE_CODES } from '../../../firmware-protocol/src/index.ts';
import { ProgramSchema } from '../presets/presetFileSchema.ts';

export const RECORD_FILE_FORMAT = 'stimbench-record';
export const RECORD_FILE_VERSION = 1;

const num = v.pipe(v.number(), v.finite());
const int = v.pipe(v.number(), v.integer());
const nullable = <T extends v.GenericSchema>(s: T) => v.nullable(s);
const outcome = v.picklist(['completed', 'stopped', 'estopped', 'fault', 'connection-lost', 'interrupted']);
const stopReason = v.picklist(['user', 'daily-cap', 'max-duration', 'device-refused']);
const sessionState = v.picklist(['idle', 'titrating', 'ramping-up', 'holding', 'ramping-down', 'pausing', 'paused', 'done']);
const messageType = v.picklist(Object.keys(TYPE_CODES) as [keyof typeof TYPE_CODES, ...(keyof typeof TYPE_CODES)[]]);
const command = v.picklist(['setProgram', 'start', 'stop', 'setAmplitude', 'estop', 'clearFault']);

const eventBase = { recordId: v.string(), index: int, monoMs: num, wallMs: num };

export const RecordEventSchema = v.variant('kind', [
  v.object({ ...eventBase, kind: v.literal('user'), action: v.picklist(['start', 'titrate-up', 'titrate-down', 'titrate-accept', 'pause', 'resume', 'stop', 'estop', 'electrodes-moved', 'set-level']), valueUa: v.exactOptional(int) }),
  v.object({ ...eventBase, kind: v.literal('phase'), from: sessionState, to: sessionState }),
  v.object({
    ...eventBase,
    kind: v.literal('command'),
    command,
    channel: int,
    program: v.exactOptional(ProgramSchema),
    amplitudeUa: v.exactOptional(int),
    limits: v.exactOptional(v.object({ electrodeAreaCm2: nullable(num), densityLimitUaPerCm2: num, densityOverrideReason: v.exactOptional(v.string()) })),
  }),
  v.object({
    ...eventBase,
    kind: v.literal('ack'),
    command: messageType,
    seq: int,
    rttMs: num,
    echo: v.variant('kind', [
      v.object({ kind: v.literal('none') }),
      v.object({ kind: v.literal('program'), program: ProgramSchema }),
      v.object({ kind: v.literal('amplitude'), channel: int, amplitudeUa: int }),
    ]),
  }),
  v.object({
    ...eventBase,
    kind: v.literal('nack'),
    command: messageType,
    seq: int,
    code: v.picklist(Object.keys(NACK_CODES) as [keyof typeof NACK_CODES]),
    field: v.picklist(Object.keys(FIELD_IDS) as [keyof typeof FIELD_IDS]),
    value: num,
    bound: num,
  }),
  v.object({ ...eventBase, kind: v.literal('timeout'), command: messageType, seq: int, attempt: int }),
  v.object({ ...eventBase, kind: v.literal('command-error'), command, errorName: v.string(), errorCode: v.string(), message: v.string() }),
  v.object({ ...eventBase, kind: v.literal('fault'), source: v.picklist(['board', 'client']), code: v.string(), channel: nullable(int), message: v.string(), detail: v.exactOptional(num) }),
  v.object({ ...eventBase, kind: v.literal('connection'), state: v.string(), previous: v.string() }),
  v.object({
    ...eventBase,
    kind: v.literal('board-status'),
    channel: int,
    state: v.picklist(CHANNEL_STATES),
    amplitudeUa: int,
    targetUa: int,
    elapsedMs: num,
    fault: nullable(v.picklist(Object.keys(FAULT_CODES) as [keyof typeof FAULT_CODES])),
  }),
  v.object({
    ...eventBase,
    kind: v.literal('override'),
    what: v.literal('current-density'),
    limitUaPerCm2: num,
    defaultUaPerCm2: num,
    channel: v.exactOptional(int),
    reason: v.exactOptional(v.string()),
  }),
  v.object({ ...eventBase, kind: v.literal('limit'), limit: v.picklist(['daily-cap', 'max-duration', 'host-backstop']), message: v.string(), valueMs: num }),
  v.object({ ...eventBase, kind: v.literal('reminder'), reminder: v.literal('move-electrodes'), siteMs: num }),
  v.object({ ...eventBase, kind: v.literal('pain'), when: v.picklist(['pre', 'post']), nrs: v.pipe(int, v.minValue(0), v.maxValue(10)) }),
  v.object({ ...eventBase, kind: v.literal('warning'), message: v.string() }),
  v.object({ ...eventBase, kind: v.literal('interrupted'), message: v.string() }),
  v.object({ ...eventBase, kind: v.literal('outcome'), outcome, stopReason: nullable(stopReason), message: v.string() }),
]);

const intArray = v.array(int);
export const SummaryChunkJsonSchema = v.object({
  recordId: v.string(),
  index: int,
  channel: int,
  firstSecond: int,
  boardStartMs: num,
  seconds: v.pipe(int, v.minValue(0), v.maxValue(60)),
  minUa: intArray,
  meanUa: intArray,
  maxUa: intArray,
  samples: intArray,
  activeSamples: intArray,
  sampleIntervalUs: num,
});

const doseSchema = v.object({
  channel: int,
  activeMs: num,
  amplitudeIntegralUaMs: num,
  chargeUc: num,
  peakUa: num,
  samples: int,
  sampleIntervalUs: num,
});

export const SessionRecordSchema = v.object({
  id: v.string(),
  status: v.picklist(['open', 'closed']),
  createdMonoMs: num,
  createdWallMs: num,
  endedWallMs: nullable(num),
  endedMonoMs: nullable(num),
  plan: v.object({
    program: ProgramSchema,
    titration: nullable(v.object({ startUa: int, stepUa: int, maxUa: int })),
    presetId: nullable(v.string()),
    programmeRef: nullable(v.object({ enrolmentId: v.string(), programmeId: v.string(), dayIndex: int, slotId: v.string() })),
    label: v.string(),
    manual: v.exactOptional(v.boolean()),
  }),
  participant: v.exactOptional(v.string()),
  board: v.object({
    firmwareVersion: v.string(),
    protocolVersion: int,
    serialNumber: v.string(),
    caps: v.record(v.string(), num),
    watchdogMs: num,
    telemetryRateHz: num,
    port: v.looseObject({ kind: v.string(), label: v.string() }),
  }),
  software: v.exactOptional(v.object({ name: v.string(), version: v.string(), build: v.string() })),
  limits: v.object({
    effective: v.looseObject({ mode: v.string() }),
    amplitudeCeiling: v.object({ value: num, source: v.string(), reason: v.string() }),
    labCap: nullable(v.record(v.string(), num)),
    electrodeAreaCm2: nullable(num),
  }),
  outcome: nullable(outcome),
  stopReason: nullable(stopReason),
  outcomeMessage: nullable(v.string()),
  targetUa: nullable(num),
  dose: v.array(doseSchema),
  pain: v.object({ pre: nullable(v.pipe(int, v.minValue(0), v.maxValue(10))), post: nullable(v.pipe(int, v.minValue(0), v.maxValue(10))) }),
  eventCount: nullable(int),
  summaryChunkCount: nullable(int),
});

export const RecordFileSchema = v.object({
  format: v.literal(RECORD_FILE_FORMAT),
  version: v.literal(RECORD_FILE_VERSION),
  exportedWallMs: num,
  record: SessionRecordSchema,
  events: v.array(RecordEventSchema),
  summaries: v.array(SummaryChunkJsonSchema),
});

export type RecordFile = v.InferOutput<typeof RecordFileSchema>;

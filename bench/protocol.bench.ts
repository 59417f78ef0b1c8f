/**
 * Wire-protocol throughput and allocation, with node-mavlink (MAVLink v2 splitter + parser) as the peer
 * baseline measured in the same process on frames of similar size. Prints figures; never asserts on
 * time (a shared 2-core machine is no pass/fail oracle). Target: our decoder ≥ 3× the peer
 * and ≥ 100 MB/s of wire bytes, with no allocation per byte.
 */
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import mavlink from 'node-mavlink';
import { expect, test } from 'vitest';
import { cobsDecode, cobsEncode, encodeFrame, FrameDecoder, type Message, type Program } from '../firmware-protocol/src/index.ts';

const { MavLinkPacketSplitter, MavLinkPacketParser, MavLinkProtocolV2, common } = mavlink;

// ---- frames ----------------------------------------------------------------------------------------

const program: Program = {
  channel: 1, mode: 'burst', waveform: 'asymmetric-biphasic', frequencyDeciHz: 20, pulseWidthUs: 200,
  amplitudeUa: 25_000, durationMs: 1_800_000, rampUpMs: 5_000, rampDownMs: 3_000, burstPulses: 7,
  burstFrequencyDeciHz: 1000, sweepHighDeciHz: 0, sweepPeriodMs: 0,
};
const setProgram = (seq: number): Message => ({ type: 'setProgram', seq, program });
const telemetry = (seq: number): Message => ({
  type: 'telemetry', seq, channel: 0, firstSampleMs: 123_456 + seq * 50, sampleIntervalUs: 1000,
  samples: Array.from({ length: 50 }, (_, i) => ({ currentUa: 20_000 + ((i * 37 + seq) % 500), voltageMv: -((i * 911 + seq) % 30_000) })),
});

function concat(frames: Uint8Array[]): Uint8Array {
  const total = frames.reduce((n, f) => n + f.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const f of frames) {
    out.set(f, o);
    o += f.length;
  }
  return out;
}

/** A stream of about `targetBytes` made of distinct frames (seq varies, so CRCs differ). */
function ourStream(make: (seq: number) => Message, targetBytes: number): { bytes: Uint8Array; frames: number; frameBytes: number } {
  const one = encodeFrame(make(1)).length;
  const frames = Math.ceil(targetBytes / one);
  const list: Uint8Array[] = [];
  for (let i = 0; i < frames; i++) list.push(encodeFrame(make((i % 65_535) + 1)));
  return { bytes: concat(list), frames, frameBytes: one };
}

type MavData = InstanceType<typeof common.Attitude> | InstanceType<typeof common.FileTransferProtocol>;
// ~40-byte MAVLink v2 frame: ATTITUDE (28-byte payload + 12 bytes of header and CRC).
function attitude(i: number): MavData {
  const m = new common.Attitude();
  m.timeBootMs = 1_000 + i;
  m.roll = 0.1 + i * 1e-4; m.pitch = -0.2; m.yaw = 1.3;
  m.rollspeed = 0.01; m.pitchspeed = -0.02; m.yawspeed = 0.03;
  return m;
}
// ~266-byte MAVLink v2 frame: FILE_TRANSFER_PROTOCOL (254-byte payload, the largest common message).
function ftp(i: number): MavData {
  const m = new common.FileTransferProtocol();
  m.targetNetwork = 1; m.targetSystem = 1; m.targetComponent = 1;
  m.payload = Array.from({ length: 251 }, (_, k) => ((k * 7 + i) % 255) + 1);
  return m;
}
function mavStream(make: (i: number) => MavData, targetBytes: number): { bytes: Uint8Array; frames: number; frameBytes: number } {
  const protocol = new MavLinkProtocolV2(1, 1);
  const one = protocol.serialize(make(0), 0).length;
  const frames = Math.ceil(targetBytes / one);
  const list: Uint8Array[] = [];
  for (let i = 0; i < frames; i++) list.push(new Uint8Array(protocol.serialize(make(i), i & 0xff)));
  return { bytes: concat(list), frames, frameBytes: one };
}

// ---- timing ----------------------------------------------------------------------------------------

const CHUNK = 64;
const RUNS = 7;

interface Figure { mbPerS: number; framesPerS: number }
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function figure(bytes: number, frames: number, ms: number[]): Figure {
  const t = median(ms) / 1000;
  return { mbPerS: bytes / 1e6 / t, framesPerS: frames / t };
}

function decodeOurs(bytes: Uint8Array): number {
  const decoder = new FrameDecoder();
  let n = 0;
  for (let o = 0; o < bytes.length; o += CHUNK) n += decoder.push(bytes.subarray(o, o + CHUNK)).length;
  return n;
}
async function decodePeer(bytes: Uint8Array): Promise<number> {
  const splitter = new MavLinkPacketSplitter();
  const parser = new MavLinkPacketParser();
  let n = 0;
  parser.on('data', () => n++);
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    splitter.on('error', reject);
  });
  splitter.pipe(parser);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let o = 0; o < buf.length; o += CHUNK) splitter.write(buf.subarray(o, o + CHUNK));
  splitter.end();
  await done;
  return n;
}
/**
 * Ours and the peer alternately, run by run, so that both see the same machine load (other processes share
 * these 2 cores); each figure is the median of RUNS. Every run is checked to have decoded every frame.
 */
async function benchDecodePair(ours: { bytes: Uint8Array; frames: number }, peer: { bytes: Uint8Array; frames: number }): Promise<{ ours: Figure; peer: Figure }> {
  expect(decodeOurs(ours.bytes)).toBe(ours.frames); // warm-up, and proof the figures count real frames
  expect(await decodePeer(peer.bytes)).toBe(peer.frames);
  const msOurs: number[] = [];
  const msPeer: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let t0 = performance.now();
    const n = decodeOurs(ours.bytes);
    msOurs.push(performance.now() - t0);
    t0 = performance.now();
    const m = await decodePeer(peer.bytes);
    msPeer.push(performance.now() - t0);
    if (n !== ours.frames || m !== peer.frames) throw new Error(`decoded ${n}/${ours.frames}, peer ${m}/${peer.frames}`);
  }
  return { ours: figure(ours.bytes.length, ours.frames, msOurs), peer: figure(peer.bytes.length, peer.frames, msPeer) };
}

/** Framing alone: frames that all fail their CRC (COBS, length and CRC checks; no message objects). */
function benchFramingOnly(bytes: Uint8Array, frames: number): Figure {
  const run = () => {
    const d = new FrameDecoder();
    for (let o = 0; o < bytes.length; o += CHUNK) d.push(bytes.subarray(o, o + CHUNK));
    return d.drops.crc;
  };
  expect(run()).toBe(frames);
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  return figure(bytes.length, frames, ms);
}

/** Encode throughput of ours and the peer, alternating run by run like the decode pair. */
function benchEncodePair(ours: (i: number) => number, peer: (i: number) => number, frames: number): { ours: Figure; peer: Figure } {
  for (let i = 0; i < Math.min(frames, 20_000); i++) {
    ours(i);
    peer(i);
  }
  const msOurs: number[] = [];
  const msPeer: number[] = [];
  let bytesOurs = 0;
  let bytesPeer = 0;
  for (let r = 0; r < RUNS; r++) {
    bytesOurs = 0;
    bytesPeer = 0;
    let t0 = performance.now();
    for (let i = 0; i < frames; i++) bytesOurs += ours(i);
    msOurs.push(performance.now() - t0);
    t0 = performance.now();
    for (let i = 0; i < frames; i++) bytesPeer += peer(i);
    msPeer.push(performance.now() - t0);
  }
  return { ours: figure(bytesOurs, frames, msOurs), peer: figure(bytesPeer, frames, msPeer) };
}

// ---- allocation ------------------------------------------------------------------------------------

/** `gc` if node was started with --expose-gc, else exposed at run time through V8 flags. */
function getGc(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

/**
 * Heap the decoder itself allocates, measured in windows small enough for the young generation: gc, build
 * the window's 64-byte chunk views (the caller's cost, kept out of the figure), read heapUsed, push them
 * all, read heapUsed again. Plus the retained growth after the whole run (~50 MB): a leak would show there.
 */
function allocation(bytes: Uint8Array, totalBytes: number, chunk = CHUNK) {
  const gc = getGc();
  const decoder = new FrameDecoder();
  const windowBytes = 128 * 1024;
  const perChunk: number[] = [];
  const perFrame: number[] = [];
  gc?.();
  const start = process.memoryUsage().heapUsed;
  let processed = 0;
  let frames = 0;
  let chunks = 0;
  while (processed < totalBytes) {
    for (let base = 0; base < bytes.length && processed < totalBytes; base += windowBytes) {
      const end = Math.min(base + windowBytes, bytes.length);
      const views: Uint8Array[] = [];
      for (let o = base; o < end; o += chunk) views.push(bytes.subarray(o, Math.min(o + chunk, end)));
      gc?.();
      const h0 = process.memoryUsage().heapUsed;
      let n = 0;
      for (const v of views) n += decoder.push(v).length;
      const delta = process.memoryUsage().heapUsed - h0;
      perChunk.push(delta / views.length);
      if (n > 0) perFrame.push(delta / n);
      frames += n;
      chunks += views.length;
      processed += end - base;
    }
  }
  gc?.();
  const retained = process.memoryUsage().heapUsed - start;
  return { gc: gc !== undefined, processed, frames, chunks, bytesPerChunk: median(perChunk), bytesPerFrame: perFrame.length ? median(perFrame) : 0, retained, drops: { ...decoder.drops } };
}

/** The same frames with one CRC bit flipped in each (decoded, flipped, re-encoded: COBS stays valid). */
function crcFailingStream(stream: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < stream.length; i++) {
    if (stream[i] !== 0) continue;
    const raw = cobsDecode(stream.subarray(start, i))!;
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 0x80;
    out.push(cobsEncode(raw), Uint8Array.of(0));
    start = i + 1;
  }
  return concat(out);
}

// ---- the run ---------------------------------------------------------------------------------------

const fmt = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

test('protocol throughput vs node-mavlink, and decoder allocation', async () => {
  const STREAM_BYTES = 4_000_000;
  const ourSmall = ourStream(setProgram, STREAM_BYTES);
  const ourBig = ourStream(telemetry, STREAM_BYTES);
  const peerSmall = mavStream(attitude, STREAM_BYTES);
  const peerBig = mavStream(ftp, STREAM_BYTES);

  const rows: string[][] = [];
  const row = (what: string, frameBytes: number, f: Figure, ratio?: number) =>
    rows.push([what, String(frameBytes), fmt(f.mbPerS), fmt(f.framesPerS / 1000), ratio === undefined ? '' : `${fmt(ratio, 2)}×`]);

  const decSmall = await benchDecodePair(ourSmall, peerSmall);
  const decBig = await benchDecodePair(ourBig, peerBig);
  const framing = benchFramingOnly(crcFailingStream(ourBig.bytes), ourBig.frames);

  const smallMsg = setProgram(1);
  const bigMsgs = Array.from({ length: 64 }, (_, i) => telemetry(i + 1));
  const protocol = new MavLinkProtocolV2(1, 1);
  const att = attitude(1);
  const ft = ftp(1);
  const encSmall = benchEncodePair((i) => encodeFrame({ ...smallMsg, seq: (i & 0x7fff) + 1 }).length, (i) => protocol.serialize(att, i & 0xff).length, 100_000);
  const encBig = benchEncodePair((i) => encodeFrame(bigMsgs[i & 63]!).length, (i) => protocol.serialize(ft, i & 0xff).length, 20_000);

  row('decode setProgram (ours)', ourSmall.frameBytes, decSmall.ours, decSmall.ours.mbPerS / decSmall.peer.mbPerS);
  row('decode ATTITUDE (node-mavlink splitter+parser)', peerSmall.frameBytes, decSmall.peer);
  row('decode telemetry×50 (ours)', ourBig.frameBytes, decBig.ours, decBig.ours.mbPerS / decBig.peer.mbPerS);
  row('decode FILE_TRANSFER_PROTOCOL (node-mavlink)', peerBig.frameBytes, decBig.peer);
  row('framing only: telemetry-size, all CRC-failing (ours)', ourBig.frameBytes, framing);
  row('encode setProgram incl. validation (ours)', ourSmall.frameBytes, encSmall.ours, encSmall.ours.mbPerS / encSmall.peer.mbPerS);
  row('encode ATTITUDE (MavLinkProtocolV2.serialize)', peerSmall.frameBytes, encSmall.peer);
  row('encode telemetry×50 (ours)', ourBig.frameBytes, encBig.ours, encBig.ours.mbPerS / encBig.peer.mbPerS);
  row('encode FILE_TRANSFER_PROTOCOL (serialize)', peerBig.frameBytes, encBig.peer);

  const header = ['case', 'wire B/frame', 'MB/s (wire)', 'kframes/s', 'ours/peer (MB/s)'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  ');
  const load = loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(['', `Decoding in ${CHUNK}-byte chunks over ~${STREAM_BYTES / 1e6} MB streams; ours and peer alternate run by run; median of ${RUNS}; load average ${load}.`, line(header), ...rows.map(line)].join('\n'));
  console.log(
    `frames/s ratio (ours/peer): decode small ${fmt(decSmall.ours.framesPerS / decSmall.peer.framesPerS, 2)}×, decode big ${fmt(decBig.ours.framesPerS / decBig.peer.framesPerS, 2)}×` +
      ' (the peer parses headers and slices payloads; ours also builds the typed message)',
  );

  // Allocation over ~50 MB: telemetry frames (each decoded message, with its 50 sample objects, is the
  // output itself), and the same frames with a CRC error (nothing is output: what framing alone costs).
  const bad = crcFailingStream(ourBig.bytes);
  const good = allocation(ourBig.bytes, 50_000_000);
  const dropped = allocation(bad, 50_000_000);
  const dropped512 = allocation(bad, 50_000_000, 512);
  const perByte = (x: number, chunk = CHUNK) => fmt(x / chunk, 2);
  console.log(
    [
      `Decoder heap allocation (${good.gc ? 'gc exposed; young-generation windows' : 'no gc: heapUsed deltas only'}), ${CHUNK}-byte chunks, median per window:`,
      `  telemetry×50, ${fmt(good.processed / 1e6)} MB, ${good.frames} frames: ${fmt(good.bytesPerFrame, 0)} B per decoded frame ` +
        `(the message object and its 50 samples), ${fmt(good.bytesPerChunk, 0)} B per push = ${perByte(good.bytesPerChunk)} B per wire byte; retained after gc ${fmt(good.retained / 1024, 0)} KiB`,
      `  same frames, CRC-failing, ${fmt(dropped.processed / 1e6)} MB, drops ${dropped.drops.crc}: ${fmt(dropped.bytesPerChunk, 0)} B per push = ${perByte(dropped.bytesPerChunk)} B per wire byte ` +
        `(the returned array and one subarray view); retained after gc ${fmt(dropped.retained / 1024, 0)} KiB`,
      `  same, 512-byte chunks: ${fmt(dropped512.bytesPerChunk, 0)} B per push = ${perByte(dropped512.bytesPerChunk, 512)} B per wire byte (one view per frame piece > 16 B in the chunk): it scales with chunks and frames, not with bytes`,
    ].join('\n'),
  );
});

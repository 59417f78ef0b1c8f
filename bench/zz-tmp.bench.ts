import { test } from 'vitest';
import { performance } from 'node:perf_hooks';
import { crc32c, cobsDecodeInto, cobsEncode, encodeFrame, validateProgram, FrameDecoder, CODECS, type Message, type Program } from '../firmware-protocol/src/index.ts';
const program: Program = { channel: 1, mode: 'burst', waveform: 'asymmetric-biphasic', frequencyDeciHz: 20, pulseWidthUs: 200, amplitudeUa: 25_000, durationMs: 1_800_000, rampUpMs: 5_000, rampDownMs: 3_000, burstPulses: 7, burstFrequencyDeciHz: 1000, sweepHighDeciHz: 0, sweepPeriodMs: 0 };
function t(name: string, bytes: number, fn: () => void) { for (let i = 0; i < 3; i++) fn(); const t0 = performance.now(); for (let i = 0; i < 5; i++) fn(); const ms = (performance.now() - t0) / 5; console.log(name, (bytes / 1e6 / (ms / 1000)).toFixed(1), 'MB/s', ms.toFixed(2), 'ms'); }
test('x', () => {
  const N = 8_000_000; const data = new Uint8Array(N); for (let i = 0; i < N; i++) data[i] = (i * 31 + (i >> 7)) & 0xff;
  t('crc32c 8MB', N, () => { crc32c(data); });
  const tel: Message = { type: 'telemetry', seq: 5, channel: 0, firstSampleMs: 1, sampleIntervalUs: 1000, samples: Array.from({ length: 50 }, (_, i) => ({ currentUa: 20000 + i, voltageMv: -i * 300 })) };
  const f = encodeFrame(tel); const enc = f.subarray(0, f.length - 1); const dst = new Uint8Array(2000);
  t('cobsDecode x20000', enc.length * 20000, () => { for (let i = 0; i < 20000; i++) cobsDecodeInto(enc, 0, enc.length, dst); });
  const raw = dst.slice(0, cobsDecodeInto(enc, 0, enc.length, dst)); const v = new DataView(raw.buffer);
  t('crc tel x20000', raw.length * 20000, () => { for (let i = 0; i < 20000; i++) crc32c(raw, 0, raw.length - 4); });
  t('readBody tel x20000', raw.length * 20000, () => { for (let i = 0; i < 20000; i++) CODECS.telemetry.read(v, 4, raw.length - 8, 5); });
  const big = new Uint8Array(f.length * 20000); for (let i = 0; i < 20000; i++) big.set(f, i * f.length);
  t('decoder whole-chunk', big.length, () => { new FrameDecoder().push(big); });
  t('decoder 64', big.length, () => { const d = new FrameDecoder(); for (let o = 0; o < big.length; o += 64) d.push(big.subarray(o, o + 64)); });
  t('validate x100000', 42 * 100000, () => { for (let i = 0; i < 100000; i++) validateProgram(program); });
  const sp: Message = { type: 'setProgram', seq: 1, program };
  t('encode setProgram x100000', 42 * 100000, () => { for (let i = 0; i < 100000; i++) encodeFrame(sp); });
  t('encode hb x100000', 9 * 100000, () => { for (let i = 0; i < 100000; i++) encodeFrame({ type: 'heartbeat', seq: 3 }); });
});

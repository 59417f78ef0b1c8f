/**
 * Deterministic from the seed: the same seed and the same host bytes give the same board bytes, bit for
 * bit, even with corruption, loss and impedance noise in play; another seed gives other bytes.
 */
import { describe, expect, test } from 'vitest';
import { Host, conventional } from './harness.ts';

async function scenario(seed: number): Promise<{ bytes: Uint8Array; stats: string; impedances: number[] }> {
  const h = await Host.connect({ seed });
  const impedances: number[] = [];
  for (let i = 0; i < 5; i++) {
    const z = await h.request({ type: 'measureImpedance', channel: i % 2 });
    if (z.type === 'impedance') impedances.push(z.impedanceOhm);
  }
  await h.startProgram(conventional({ amplitudeUa: 15_000, rampUpMs: 1_500, durationMs: 120_000 }));
  await h.runWithHeartbeats(5_000);
  h.board.inject.corruption(0.002);
  h.board.inject.loss(0.001);
  await h.runWithHeartbeats(20_000);
  await h.send({ type: 'setAmplitude', channel: 0, amplitudeUa: 9_000 });
  await h.runWithHeartbeats(5_000);
  h.board.inject.corruption(0);
  h.board.inject.loss(0);
  await h.runWithHeartbeats(1_000);
  await h.send({ type: 'stop', channel: 0xff });
  await h.runWithHeartbeats(3_000);
  const out = { bytes: h.bytesRead(), stats: JSON.stringify(h.board.stats), impedances };
  await h.close();
  return out;
}

describe('determinism', () => {
  test('same seed, same inputs → identical bytes out (with corruption, loss and noise)', async () => {
    const a = await scenario(1234);
    const b = await scenario(1234);
    expect(a.bytes.length).toBeGreaterThan(100_000);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.stats).toBe(b.stats);
    expect(a.impedances).toEqual(b.impedances);
  });

  test('another seed → other bytes (the randomness really comes from the seed)', async () => {
    const a = await scenario(1234);
    const c = await scenario(4321);
    expect(Buffer.from(a.bytes).equals(Buffer.from(c.bytes))).toBe(false);
    expect(a.impedances).not.toEqual(c.impedances);
  });
});

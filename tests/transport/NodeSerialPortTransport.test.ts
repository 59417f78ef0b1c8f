/**
 * NodeSerialPortTransport against a real pseudo-terminal pair (socat): the rules of Transport.ts with
 * Node's `serialport` underneath — open/close/locks, bytes both ways in any chunking, close() ending a
 * pending read, OPEN_FAILED, and the other end going away as DEVICE_LOST with one onDisconnect call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NodeSerialPortTransport } from '../../src/lib/transport/NodeSerialPortTransport.ts';
import { TransportError } from '../../src/lib/transport/Transport.ts';
import { ptyPair, type PtyPair } from './ptyPair.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function pair(): Promise<{ pty: PtyPair; a: NodeSerialPortTransport; b: NodeSerialPortTransport }> {
  const pty = await ptyPair();
  const a = new NodeSerialPortTransport(pty.a);
  const b = new NodeSerialPortTransport(pty.b);
  cleanups.push(async () => {
    await a.close();
    await b.close();
    await pty.unplug();
  });
  return { pty, a, b };
}

async function readAtLeast(reader: ReadableStreamDefaultReader<Uint8Array>, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended after ${got} of ${n} bytes`);
    out.set(value.subarray(0, n - got), got);
    got += Math.min(value.length, n - got);
  }
  return out;
}

async function code(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    if (typeof p === 'function') p();
    else await p;
  } catch (error) {
    expect(error).toBeInstanceOf(TransportError);
    return (error as TransportError).code;
  }
  return 'nothing thrown';
}

describe('NodeSerialPortTransport over a pty pair', () => {
  it('kind, identity, NOT_OPEN before open, ALREADY_OPEN on a second open', async () => {
    const { pty, a } = await pair();
    expect(a.kind).toBe('node-serial');
    expect(a.identity).toEqual({ kind: 'node-serial', label: `Serial ${pty.a}` });
    expect(await code(() => a.readable)).toBe('NOT_OPEN');
    expect(await code(() => a.writable)).toBe('NOT_OPEN');
    await a.open();
    expect(a.isOpen).toBe(true);
    expect(await code(a.open())).toBe('ALREADY_OPEN');
  });

  it('carries bytes both ways, 200 kB included, unchanged and in order', async () => {
    const { a, b } = await pair();
    await a.open();
    await b.open();
    const toB = b.readable.getReader();
    const toA = a.readable.getReader();
    const aw = a.writable.getWriter();
    const bw = b.writable.getWriter();
    const big = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
    const receiving = readAtLeast(toB, big.length);
    for (let i = 0; i < big.length; i += 4096) await aw.write(big.subarray(i, i + 4096));
    expect(Buffer.from(await receiving).equals(Buffer.from(big))).toBe(true);
    await bw.write(Uint8Array.of(0, 1, 2, 0xff));
    expect([...(await readAtLeast(toA, 4))]).toEqual([0, 1, 2, 0xff]);
  });

  it('close(): a pending read resolves done, writes reject NOT_OPEN, close twice is a no-op, and the port can be opened again', async () => {
    const { a, b } = await pair();
    let lost = 0;
    a.onDisconnect(() => lost++);
    await a.open();
    const reader = a.readable.getReader();
    const writer = a.writable.getWriter();
    const pending = reader.read();
    await a.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(a.isOpen).toBe(false);
    await expect(writer.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'NOT_OPEN' });
    await a.close();
    expect(lost).toBe(0);
    await a.open();
    await b.open();
    const r = b.readable.getReader();
    await a.writable.getWriter().write(Uint8Array.of(42));
    expect([...(await readAtLeast(r, 1))]).toEqual([42]);
  });

  it('a consumer cancelling its reader is not a lost device', async () => {
    const { a } = await pair();
    let lost = 0;
    a.onDisconnect(() => lost++);
    await a.open();
    const reader = a.readable.getReader();
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 50));
    expect(lost).toBe(0);
    expect(a.isOpen).toBe(true);
  });

  it('OPEN_FAILED for a path that is not there', async () => {
    const t = new NodeSerialPortTransport('/dev/pts/does-not-exist');
    expect(await code(t.open())).toBe('OPEN_FAILED');
    expect(t.isOpen).toBe(false);
  });

  it('the other end going away: onDisconnect once, both streams error DEVICE_LOST, transport closed', async () => {
    const { pty, a } = await pair();
    let lost = 0;
    a.onDisconnect(() => lost++);
    await a.open();
    const reader = a.readable.getReader();
    const writer = a.writable.getWriter();
    // Settled into a value at once: the read fails while the test is still awaiting unplug().
    const pending = reader.read().then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await pty.unplug();
    expect(await pending).toMatchObject({ code: 'DEVICE_LOST' });
    expect(lost).toBe(1);
    expect(a.isOpen).toBe(false);
    await expect(writer.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'DEVICE_LOST' });
    await a.close();
    expect(lost).toBe(1);
  });
});

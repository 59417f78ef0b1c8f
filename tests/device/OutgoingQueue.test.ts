import { describe, expect, it } from 'vitest';
import { OutgoingQueue, type OutgoingFrame } from '../../src/lib/device/OutgoingQueue.ts';

function slowSink() {
  const written: string[] = [];
  const gates: (() => void)[] = [];
  let fail: Error | null = null;
  const stream = new WritableStream<Uint8Array>({
    write: async (chunk) => {
      await new Promise<void>((r) => gates.push(r));
      if (fail) throw fail;
      written.push(new TextDecoder().decode(chunk));
    },
  });
  return {
    writer: stream.getWriter(),
    written,
    release: async () => {
      await new Promise((r) => setTimeout(r, 0));
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    },
    failNext: (e: Error) => (fail = e),
  };
}

function frame(name: string, urgent = false, log: string[] = []): OutgoingFrame<string> {
  return {
    bytes: new TextEncoder().encode(name),
    urgent,
    tag: name,
    onSend: () => log.push(`send ${name}`),
    onWritten: () => log.push(`written ${name}`),
    onDropped: (e) => log.push(`dropped ${name}: ${e.message}`),
  };
}

describe('OutgoingQueue', () => {
  it('writes one frame at a time, in order', async () => {
    const sink = slowSink();
    const q = new OutgoingQueue<string>(sink.writer, () => {});
    q.push(frame('a'));
    q.push(frame('b'));
    expect(q.length).toBe(1); // 'a' is in flight
    await sink.release();
    await sink.release();
    expect(sink.written).toEqual(['a', 'b']);
  });

  it('puts an urgent frame ahead of everything queued (behind only the one in flight and earlier urgent ones)', async () => {
    const sink = slowSink();
    const q = new OutgoingQueue<string>(sink.writer, () => {});
    for (const n of ['a', 'b', 'c']) q.push(frame(n));
    q.push(frame('E1', true));
    q.push(frame('E2', true));
    for (let i = 0; i < 5; i++) await sink.release();
    expect(sink.written).toEqual(['a', 'E1', 'E2', 'b', 'c']);
  });

  it('dropWhere removes unsent frames and tells each why', async () => {
    const sink = slowSink();
    const log: string[] = [];
    const q = new OutgoingQueue<string>(sink.writer, () => {});
    q.push(frame('a', false, log));
    q.push(frame('b', false, log));
    q.push(frame('c', false, log));
    q.dropWhere((f) => f.tag === 'b', (f) => new Error(`no ${f.tag}`));
    await sink.release();
    await sink.release();
    expect(sink.written).toEqual(['a', 'c']);
    expect(log).toContain('dropped b: no b');
  });

  it('a failed write drops the rest, closes the queue and reports once', async () => {
    const sink = slowSink();
    const log: string[] = [];
    const errors: unknown[] = [];
    const q = new OutgoingQueue<string>(sink.writer, (e) => errors.push(e));
    q.push(frame('a', false, log));
    q.push(frame('b', false, log));
    sink.failNext(new Error('gone'));
    await sink.release();
    expect(errors).toHaveLength(1);
    expect(q.closed).toBe(true);
    expect(log).toEqual(['send a', 'dropped a: gone', 'dropped b: gone']);
    q.push(frame('c', false, log));
    expect(log.at(-1)).toBe('dropped c: outgoing queue closed');
  });
});

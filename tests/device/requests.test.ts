import { describe, expect, it } from 'vitest';
import { NackError, RequestTimeoutError } from '../../src/lib/device/errors.ts';
import { CONVENTIONAL, connected, settle } from './fakes/harness.ts';

describe('StimulatorClient requests: seq, timeouts, retries', () => {
  it('matches replies by replyTo; each request has its own seq', async () => {
    const { clock, client, transport } = await connected();
    const [a, b] = await settle(clock, Promise.all([client.measureImpedance(0), client.measureImpedance(1)]));
    expect(a).toEqual({ impedanceOhm: 1200, ok: true });
    expect(b).toEqual({ impedanceOhm: 1200, ok: true });
    const seqs = transport.received.map((m) => m.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).not.toContain(0);
  });

  it('wraps seq from 65535 to 1 (never 0) and keeps matching replies across the wrap', async () => {
    const { clock, client, transport } = await connected({ firstSeq: 65_534, statusPollMs: 0 });
    for (let i = 0; i < 4; i++) await settle(clock, client.getStatus());
    const seqs = transport.received.map((m) => m.seq);
    expect(seqs).toContain(65_535);
    expect(seqs).not.toContain(0);
    const wrapAt = seqs.indexOf(65_535);
    expect(seqs[wrapAt + 1]).toBe(1);
  });

  it('ignores a reply whose replyTo matches no request, and a reply of the wrong kind', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    transport.handlers.getStatus = (m, t) => {
      t.send({ type: 'ack', replyTo: m.seq, ackedType: 'getStatus', echo: { kind: 'none' } }); // wrong kind for GET_STATUS
      t.send({ ...t.status(m.seq + 1000) }); // wrong replyTo
      t.send(t.status(m.seq)); // the real answer
    };
    const status = await settle(clock, client.getStatus());
    expect(status.replyTo).toBe(transport.ofType('getStatus').at(-1)!.seq);
  });

  it('idempotent GET_STATUS is retried (same seq) after each timeout, then RequestTimeoutError', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0 });
    transport.handlers.getStatus = () => {};
    const before = transport.ofType('getStatus').length;
    const error = await settle(clock, client.getStatus()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    const sent = transport.ofType('getStatus').slice(before);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((m) => m.seq)).size).toBe(1);
    expect(events.commands.filter((c) => c.kind === 'timeout' && c.request.type === 'getStatus')).toHaveLength(3);
  });

  it('a retry that gets answered resolves the original call', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    let calls = 0;
    transport.handlers.measureImpedance = (m, t) => {
      if (++calls === 2) t.send({ type: 'impedance', replyTo: m.seq, channel: 0, impedanceOhm: 900, ok: true });
    };
    expect(await settle(clock, client.measureImpedance(0))).toEqual({ impedanceOhm: 900, ok: true });
    expect(calls).toBe(2);
  });

  const neverRetried = [
    ['setProgram', (c: Awaited<ReturnType<typeof connected>>['client']) => c.setProgram(CONVENTIONAL)],
    ['start', (c: Awaited<ReturnType<typeof connected>>['client']) => c.start(0)],
    ['setAmplitude', (c: Awaited<ReturnType<typeof connected>>['client']) => c.setAmplitude(0, 10_000)],
  ] as const;
  for (const [type, call] of neverRetried) {
    it(`${type} is never retried: one frame, then RequestTimeoutError`, async () => {
      const { clock, client, transport } = await connected({ statusPollMs: 0 });
      if (type !== 'setProgram') await settle(clock, client.setProgram(CONVENTIONAL));
      if (type === 'setAmplitude') await settle(clock, client.start(0));
      transport.handlers[type] = () => {};
      const error = await settle(clock, call(client) as Promise<unknown>).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestTimeoutError);
      expect(error).toMatchObject({ attempts: 1 });
      expect(transport.ofType(type)).toHaveLength(1);
      await clock.advance(2_000);
      expect(transport.ofType(type)).toHaveLength(1);
    });
  }

  it('STOP is never retried either; a STOP that times out escalates to ESTOP', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    await settle(clock, client.start(0));
    transport.handlers.stop = () => {};
    const error = await settle(clock, client.stop(0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(transport.ofType('stop')).toHaveLength(1);
    expect(transport.ofType('estop').length).toBeGreaterThanOrEqual(1);
    expect(transport.channelStates).toEqual(['idle', 'idle']);
    expect(events.faults.map((f) => f.code)).toContain('estop');
  });

  it('a setProgram that timed out leaves the channel without a verified program (start refused)', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    transport.handlers.setProgram = () => {};
    await settle(clock, client.setProgram({ ...CONVENTIONAL, amplitudeUa: 10_000 })).catch(() => {});
    expect(client.verifiedProgram(0)).toBeNull();
    await expect(client.start(0)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(transport.ofType('start')).toHaveLength(0);
  });

  it('NACK rejects with NackError carrying the NACK; not retried; the verified program is kept', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    transport.handlers.setProgram = (m, t) => t.send({ type: 'nack', replyTo: m.seq, rejectedType: 'setProgram', code: 'busy', field: 'channel', value: 0, bound: 0 });
    const error = await settle(clock, client.setProgram({ ...CONVENTIONAL, amplitudeUa: 10_000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NackError);
    expect((error as NackError).nack).toMatchObject({ code: 'busy', field: 'channel' });
    expect(transport.ofType('setProgram')).toHaveLength(2);
    expect(client.verifiedProgram(0)).toEqual(CONVENTIONAL);
    expect(events.commands.filter((c) => c.kind === 'nack')).toHaveLength(1);
  });

  it("emits 'command' events for every request sent and its ack / reply / nack / timeout, with round-trip times", async () => {
    const { clock, client, events } = await connected({ statusPollMs: 0 });
    events.commands.length = 0;
    await settle(clock, client.setProgram(CONVENTIONAL));
    await settle(clock, client.getStatus());
    const kinds = events.commands.filter((c) => !(c.kind === 'sent' ? c.message.type === 'heartbeat' : c.request.type === 'heartbeat')).map((c) => (c.kind === 'sent' ? `sent ${c.message.type}` : `${c.kind} ${c.request.type}`));
    expect(kinds).toEqual(['sent setProgram', 'ack setProgram', 'sent getStatus', 'reply getStatus']);
    const ack = events.commands.find((c) => c.kind === 'ack' && c.request.type === 'setProgram');
    expect(ack && ack.kind === 'ack' && ack.ack.echo.kind).toBe('program');
    expect(client.linkHealth.lastRttMs).not.toBeNull();
  });
});

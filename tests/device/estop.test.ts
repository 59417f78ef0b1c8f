import { describe, expect, it } from 'vitest';
import { CancelledError, ConnectionLostError, NotConnectedError } from '../../src/lib/device/errors.ts';
import { CONVENTIONAL, connected, makeClient, settle } from './fakes/harness.ts';

describe('StimulatorClient.estop()', () => {
  it('jumps the queue: written right after the frame in flight, ahead of everything queued', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0, heartbeatMs: 10_000 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    transport.received.length = 0;
    transport.holdWrites = true;
    const inFlight = client.setProgram({ ...CONVENTIONAL, channel: 1 });
    const queries = [client.getStatus(), client.measureImpedance(0), client.getStatus()];
    await clock.advance(1);
    expect(transport.heldWrites).toBe(1);
    const estop = client.estop();
    for (let i = 0; i < 10; i++) {
      transport.releaseOne();
      await clock.advance(1);
    }
    await estop;
    expect(transport.received.map((m) => m.type)).toEqual(['setProgram', 'estop', 'getStatus', 'measureImpedance', 'getStatus']);
    transport.holdWrites = false;
    await settle(clock, Promise.all([inFlight.catch(() => {}), ...queries]));
  });

  it('cancels queued commands that could undo it (START, CLEAR_FAULT, SET_AMPLITUDE, STOP, SET_PROGRAM): never written', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0, heartbeatMs: 10_000 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    transport.received.length = 0;
    transport.holdWrites = true;
    const inFlight = client.getStatus();
    const cancelled = [client.clearFault(), client.start(0), client.setProgram({ ...CONVENTIONAL, channel: 1 }), client.stop(1)].map((p) => p.catch((e: unknown) => e));
    await clock.advance(1);
    const estop = client.estop();
    transport.holdWrites = false;
    for (let i = 0; i < 10; i++) {
      transport.releaseOne();
      await clock.advance(1);
    }
    await estop;
    await inFlight;
    for (const result of await Promise.all(cancelled)) expect(result).toBeInstanceOf(CancelledError);
    expect(transport.received.map((m) => m.type)).toEqual(['getStatus', 'estop']);
    expect(transport.channelStates).toEqual(['idle', 'idle']);
  });

  it('stops the retries of a CLEAR_FAULT already sent, so a late retry cannot clear the ESTOP latch', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0, heartbeatMs: 10_000 });
    transport.handlers.clearFault = () => {}; // first attempt unanswered
    const clear = client.clearFault().catch((e: unknown) => e);
    await clock.advance(5);
    await settle(clock, client.estop());
    await clock.advance(2_000);
    expect(await clear).toBeInstanceOf(CancelledError);
    expect(transport.ofType('clearFault')).toHaveLength(1);
    expect(transport.fault).toBe('estop');
  });

  it('resolves once written, then is re-sent until ACKed', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0, heartbeatMs: 10_000 });
    let ignored = 0;
    transport.handlers.estop = (m, t) => {
      if (ignored++ < 3) return;
      t.defaultHandle(m);
    };
    await settle(clock, client.estop()); // resolves with no ACK yet
    expect(transport.ofType('estop')).toHaveLength(1);
    await clock.advance(2_000);
    const sent = transport.ofType('estop');
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((m) => m.seq)).size).toBe(1);
    expect(events.commands.filter((c) => c.kind === 'ack' && c.request.type === 'estop')).toHaveLength(1);
    expect(client.state).toBe('faulted');
  });

  it('a NACKed ESTOP is re-sent too', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0, heartbeatMs: 10_000 });
    let n = 0;
    transport.handlers.estop = (m, t) => {
      if (n++ === 0) t.send({ type: 'nack', replyTo: m.seq, rejectedType: 'estop', code: 'badLength', field: 'none', value: 0, bound: 0 });
      else t.defaultHandle(m);
    };
    await settle(clock, client.estop());
    await clock.advance(1_000);
    expect(transport.ofType('estop')).toHaveLength(2);
    expect(transport.fault).toBe('estop');
  });

  it('pressing ESTOP again while one is unacknowledged writes it again at once (same request)', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0, heartbeatMs: 10_000 });
    transport.handlers.estop = () => {};
    await settle(clock, client.estop());
    await settle(clock, client.estop());
    const sent = transport.ofType('estop');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.seq).toBe(sent[1]!.seq);
  });

  it('disconnected: a clear NotConnectedError, nothing opened or written', async () => {
    const { client, transport } = makeClient();
    const error = await client.estop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotConnectedError);
    expect((error as Error).message).toContain('no board connected');
    expect(transport.openCount).toBe(0);
  });

  it('lost: a clear ConnectionLostError naming the board watchdog', async () => {
    const { clock, client, transport } = await connected();
    transport.lose();
    await clock.advance(1);
    const error = await client.estop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect((error as Error).message).toContain('watchdog');
  });

  it('connecting, before the port is open: ESTOP is the first frame written, ahead of HELLO', async () => {
    const { clock, client, transport } = makeClient();
    const connecting = client.connect();
    expect(client.state).toBe('connecting');
    const estop = client.estop();
    await settle(clock, Promise.all([connecting, estop]));
    expect(transport.received[0]?.type).toBe('estop');
    expect(transport.received[1]?.type).toBe('hello');
    expect(client.state).toBe('faulted');
  });

  it('connecting, HELLO unanswered: ESTOP is written at once', async () => {
    const { clock, client, transport } = makeClient();
    transport.handlers.hello = () => {};
    const connecting = client.connect().catch((e: unknown) => e);
    await clock.advance(1);
    await settle(clock, client.estop());
    expect(transport.received.map((m) => m.type)).toEqual(['hello', 'estop']);
    await settle(clock, connecting);
  });
});

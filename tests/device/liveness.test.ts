import { describe, expect, it } from 'vitest';
import { ConnectionLostError } from '../../src/lib/device/errors.ts';
import { ManualHeartbeatDriver } from '../../src/lib/device/HeartbeatDriver.ts';
import { CONVENTIONAL, connected, settle } from './fakes/harness.ts';

describe('heartbeat and liveness', () => {
  it('sends HEARTBEAT every 100 ms while connected; ACKs are counted in linkHealth', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    const before = transport.ofType('heartbeat').length;
    await clock.advance(1_000);
    expect(transport.ofType('heartbeat').length - before).toBe(10);
    const h = client.linkHealth;
    expect(h.heartbeatsSent).toBeGreaterThanOrEqual(10);
    expect(h.heartbeatAcks).toBe(h.heartbeatsSent);
    expect(clock.now() - (h.lastRxMs ?? -Infinity)).toBeLessThan(100);
    expect(h.drops).toEqual({ crc: 0, cobs: 0, length: 0, unknownType: 0, version: 0, malformed: 0 });
  });

  it('an unanswered heartbeat is reported as a timeout command event; heartbeats are never re-sent', async () => {
    const { clock, transport, events } = await connected({ statusPollMs: 0 });
    transport.handlers.heartbeat = () => {};
    const before = transport.ofType('heartbeat').length;
    await clock.advance(450);
    const sent = transport.ofType('heartbeat').slice(before);
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((m) => m.seq)).size).toBe(4); // each a new heartbeat, none a retry
    const timeouts = events.commands.filter((c) => c.kind === 'timeout' && c.request.type === 'heartbeat');
    expect(timeouts.length).toBeGreaterThanOrEqual(1);
    expect(timeouts.every((c) => c.kind === 'timeout' && c.attempt === 1)).toBe(true);
  });

  it('counts frames the decoder dropped, by reason', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    transport.sendRaw(Uint8Array.of(5, 1, 2, 3, 4, 0));
    await clock.advance(1);
    const drops = client.linkHealth.drops;
    expect(drops.crc + drops.cobs + drops.length).toBe(1);
  });

  it('a silent board (no valid frame for 3 heartbeats + one timeout) → fault board-silent, faulted, ESTOP sent', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0 });
    for (const type of ['heartbeat', 'estop', 'getStatus'] as const) transport.handlers[type] = () => {};
    const silentFrom = clock.now();
    await clock.advance(540);
    expect(events.faults).toHaveLength(0);
    await clock.advance(100);
    expect(events.faults).toMatchObject([{ source: 'client', code: 'board-silent' }]);
    expect(clock.now() - silentFrom).toBeLessThanOrEqual(3 * 100 + 250 + 100);
    expect(client.state).toBe('faulted');
    expect(transport.ofType('estop').length).toBeGreaterThanOrEqual(1);
    await clock.advance(2_000);
    expect(events.faults).toHaveLength(1); // reported once per silent spell
  });

  it('NACK helloRequired to a heartbeat means the board reset: fault board-reset, faulted, programs forgotten, nothing resumes', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    await settle(clock, client.start(0));
    expect(client.state).toBe('stimulating');
    // Brown-out: the board forgets everything.
    transport.helloDone = false;
    transport.channelStates = ['idle', 'idle'];
    await clock.advance(150);
    expect(events.faults.map((f) => f.code)).toContain('board-reset');
    expect(client.state).toBe('faulted');
    expect(client.verifiedProgram(0)).toBeNull();
    await expect(client.start(0)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await clock.advance(5_000);
    expect(transport.ofType('start')).toHaveLength(1);
    expect(events.faults.filter((f) => f.code === 'board-reset')).toHaveLength(1);
  });

  it('clearFault() after a reset says HELLO again, clears, and is ready — still with no program', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    transport.helloDone = false;
    await clock.advance(150);
    expect(client.state).toBe('faulted');
    await settle(clock, client.clearFault());
    expect(transport.ofType('hello')).toHaveLength(2);
    expect(client.state).toBe('ready');
    expect(client.verifiedProgram(0)).toBeNull();
  });

  it('the link lost → state lost, fault connection-lost, heartbeats stop, pending requests fail with ConnectionLostError', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0 });
    transport.handlers.measureImpedance = () => {};
    const pending = client.measureImpedance(0).catch((e: unknown) => e);
    await clock.advance(10);
    transport.lose();
    await clock.advance(1);
    expect(client.state).toBe('lost');
    expect(events.faults.at(-1)).toMatchObject({ source: 'client', code: 'connection-lost' });
    expect(await pending).toBeInstanceOf(ConnectionLostError);
    const n = transport.received.length;
    await clock.advance(2_000);
    expect(transport.received.length).toBe(n);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a heartbeatDriver replaces the clock timer: no tick, no heartbeat', async () => {
    const driver = new ManualHeartbeatDriver();
    const { clock, transport } = await connected({ statusPollMs: 0, heartbeatDriver: driver });
    expect(driver.running).toBe(true);
    expect(driver.periodMs).toBe(100);
    await clock.advance(1_000);
    expect(transport.ofType('heartbeat')).toHaveLength(0);
    driver.tick();
    driver.tick();
    await clock.advance(1);
    expect(transport.ofType('heartbeat')).toHaveLength(2);
  });

  it('disconnect() stops the heartbeat driver and closes the transport', async () => {
    const driver = new ManualHeartbeatDriver();
    const { clock, client, transport } = await connected({ statusPollMs: 0, heartbeatDriver: driver });
    await settle(clock, client.disconnect());
    expect(driver.running).toBe(false);
    expect(transport.isOpen).toBe(false);
    expect(client.state).toBe('disconnected');
  });

  it('polls GET_STATUS every statusPollMs, so a lost STATUS cannot hide the end of stimulation', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 500 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    await settle(clock, client.start(0));
    expect(client.state).toBe('stimulating');
    transport.channelStates = ['idle', 'idle']; // the channel finished; its unsolicited STATUS was "lost"
    await clock.advance(600);
    expect(client.state).toBe('ready');
  });

  it('counts recoverable line errors without dropping the link', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    transport.lineError('parity');
    transport.lineError('framing');
    await clock.advance(200);
    expect(client.lineErrors).toBe(2);
    expect(client.state).toBe('ready');
  });
});

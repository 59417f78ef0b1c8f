import { describe, expect, it } from 'vitest';
import { ALL_CHANNELS } from '../../firmware-protocol/src/index.ts';
import { InvalidStateError } from '../../src/lib/device/errors.ts';
import { CONVENTIONAL, connected, settle } from './fakes/harness.ts';

describe('board faults, stimulation state and clearFault', () => {
  it('START → stimulating; STATUS idle → ready', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    await settle(clock, client.start(0));
    expect(client.state).toBe('stimulating');
    transport.channelStates = ['idle', 'idle'];
    transport.send(transport.status(0));
    await clock.advance(1);
    expect(client.state).toBe('ready');
    expect(events.states).toEqual(['connecting', 'ready', 'stimulating', 'ready']);
  });

  it('a board FAULT → fault event (source board, with the FAULT message) and faulted; start refused until clearFault', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    await settle(clock, client.start(0));
    transport.fault = 'electrodeOff';
    transport.channelStates = ['idle', 'idle'];
    transport.send({ type: 'fault', code: 'electrodeOff', channel: 0, detail: 1_000_000 });
    await clock.advance(1);
    expect(events.faults).toMatchObject([{ source: 'board', code: 'electrodeOff', channel: 0, board: { detail: 1_000_000 } }]);
    expect(client.state).toBe('faulted');
    await expect(client.start(0)).rejects.toBeInstanceOf(InvalidStateError);
    await settle(clock, client.clearFault());
    expect(client.state).toBe('ready');
    expect(client.fault).toBeNull();
    await settle(clock, client.start(0)); // the verified program survives a board fault
    expect(client.state).toBe('stimulating');
  });

  it('a fault reported only through STATUS (its FAULT frame lost) still faults the client', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0 });
    transport.fault = 'watchdog';
    transport.send(transport.status(0));
    await clock.advance(1);
    expect(events.faults).toMatchObject([{ source: 'board', code: 'watchdog' }]);
    expect(client.state).toBe('faulted');
    transport.send(transport.status(0));
    await clock.advance(1);
    expect(events.faults).toHaveLength(1); // the same latched fault is reported once
  });

  it('clearFault() that the board does not honour keeps the client faulted', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    transport.fault = 'overcurrent';
    transport.send(transport.status(0));
    await clock.advance(1);
    transport.handlers.clearFault = (m, t) => t.send({ type: 'ack', replyTo: m.seq, ackedType: 'clearFault', echo: { kind: 'none' } });
    await expect(settle(clock, client.clearFault())).rejects.toBeInstanceOf(InvalidStateError);
    expect(client.state).toBe('faulted');
  });

  it('disconnect() while stimulating: ramped STOP (all channels), waits for idle, then closes', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    await settle(clock, client.start(0));
    transport.handlers.stop = (m, t) => {
      t.send({ type: 'ack', replyTo: m.seq, ackedType: 'stop', echo: { kind: 'none' } });
      t.channelStates = ['ramping-down', 'idle'];
      t.send(t.status(0));
      setTimeout(() => {
        t.channelStates = ['idle', 'idle'];
        t.send(t.status(0));
      }, 0);
    };
    await settle(clock, client.disconnect());
    expect(transport.ofType('stop')).toMatchObject([{ channel: ALL_CHANNELS }]);
    expect(transport.ofType('estop')).toHaveLength(0);
    expect(transport.isOpen).toBe(false);
    expect(client.state).toBe('disconnected');
  });

  it('disconnect() while stimulating: ESTOP when the STOP fails', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    await settle(clock, client.start(0));
    transport.handlers.stop = (m, t) => t.send({ type: 'nack', replyTo: m.seq, rejectedType: 'stop', code: 'badState', field: 'none', value: 0, bound: 0 });
    await settle(clock, client.disconnect());
    expect(transport.ofType('estop')).toHaveLength(1);
    expect(transport.channelStates).toEqual(['idle', 'idle']);
    expect(client.state).toBe('disconnected');
  });
});

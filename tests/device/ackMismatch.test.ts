import { describe, expect, it } from 'vitest';
import { AckMismatchError } from '../../src/lib/device/errors.ts';
import { CONVENTIONAL, connected, settle } from './fakes/harness.ts';

describe('ACK echo verification', () => {
  it('setProgram: an echo that differs from what was sent → ESTOP, fault ack-mismatch, AckMismatchError naming the field', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0, heartbeatMs: 10_000 });
    // A board that "accepted" a different amplitude than the one sent.
    transport.handlers.setProgram = (m, t) => {
      if (m.type !== 'setProgram') return;
      t.send({ type: 'ack', replyTo: m.seq, ackedType: 'setProgram', echo: { kind: 'program', program: { ...m.program, amplitudeUa: m.program.amplitudeUa + 5_000 } } });
    };
    const error = await settle(clock, client.setProgram(CONVENTIONAL)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AckMismatchError);
    expect((error as AckMismatchError).fields).toEqual(['amplitudeUa sent 20000, echoed 25000']);
    expect((error as AckMismatchError).sent).toEqual(CONVENTIONAL);
    await clock.advance(5);
    const types = transport.received.map((m) => m.type);
    expect(types.indexOf('estop')).toBe(types.lastIndexOf('setProgram') + 1); // ESTOP right after
    expect(events.faults.map((f) => [f.source, f.code, f.channel])).toContainEqual(['client', 'ack-mismatch', 0]);
    expect(client.state).toBe('faulted');
    expect(client.verifiedProgram(0)).toBeNull();
    await expect(client.start(0)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(transport.ofType('start')).toHaveLength(0);
  });

  it('setProgram: an ACK with no program echo is a mismatch too', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    transport.handlers.setProgram = (m, t) => t.send({ type: 'ack', replyTo: m.seq, ackedType: 'setProgram', echo: { kind: 'none' } });
    await expect(settle(clock, client.setProgram(CONVENTIONAL))).rejects.toBeInstanceOf(AckMismatchError);
    expect(transport.ofType('estop').length).toBeGreaterThanOrEqual(1);
  });

  it('every program field is compared (a changed pulse width is caught as well)', async () => {
    const { clock, client, transport } = await connected({ statusPollMs: 0 });
    transport.handlers.setProgram = (m, t) => {
      if (m.type === 'setProgram') t.send({ type: 'ack', replyTo: m.seq, ackedType: 'setProgram', echo: { kind: 'program', program: { ...m.program, pulseWidthUs: 250, rampDownMs: 1 } } });
    };
    const error = (await settle(clock, client.setProgram(CONVENTIONAL)).catch((e: unknown) => e)) as AckMismatchError;
    expect(error.fields).toEqual(['pulseWidthUs sent 200, echoed 250', 'rampDownMs sent 2000, echoed 1']);
  });

  it('setAmplitude: an echo with another amplitude → ESTOP + fault + AckMismatchError', async () => {
    const { clock, client, transport, events } = await connected({ statusPollMs: 0 });
    await settle(clock, client.setProgram(CONVENTIONAL));
    await settle(clock, client.start(0));
    transport.handlers.setAmplitude = (m, t) => {
      if (m.type === 'setAmplitude') t.send({ type: 'ack', replyTo: m.seq, ackedType: 'setAmplitude', echo: { kind: 'amplitude', channel: m.channel, amplitudeUa: 30_000 } });
    };
    const error = await settle(clock, client.setAmplitude(0, 15_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AckMismatchError);
    expect((error as AckMismatchError).fields).toEqual(['amplitudeUa sent 15000, echoed 30000']);
    await clock.advance(5);
    expect(transport.channelStates).toEqual(['idle', 'idle']);
    expect(events.faults.map((f) => f.code)).toContain('ack-mismatch');
    expect(client.state).toBe('faulted');
  });

  it('a matching echo is accepted and returned; the program becomes the verified one', async () => {
    const { clock, client } = await connected({ statusPollMs: 0 });
    expect(await settle(clock, client.setProgram(CONVENTIONAL))).toEqual(CONVENTIONAL);
    expect(client.verifiedProgram(0)).toEqual(CONVENTIONAL);
    expect(client.state).toBe('ready');
  });

  it('a caller mutating its program object after the call cannot change what is compared', async () => {
    const { clock, client } = await connected({ statusPollMs: 0 });
    const program = { ...CONVENTIONAL };
    const pending = client.setProgram(program);
    program.amplitudeUa = 59_000;
    expect(await settle(clock, pending)).toEqual(CONVENTIONAL);
  });
});

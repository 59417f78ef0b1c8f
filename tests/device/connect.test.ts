import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../firmware-protocol/src/index.ts';
import { IncompatibleFirmwareError, InvalidStateError, RequestTimeoutError } from '../../src/lib/device/errors.ts';
import { connected, makeClient, settle } from './fakes/harness.ts';

describe('StimulatorClient.connect()', () => {
  it('opens the transport, sends HELLO (min = max = PROTOCOL_VERSION), reads INFO and STATUS, and is ready', async () => {
    const { clock, client, transport, events } = makeClient();
    expect(client.state).toBe('disconnected');
    const info = await settle(clock, client.connect());
    expect(transport.openCount).toBe(1);
    const [hello, status] = transport.received;
    expect(hello).toMatchObject({ type: 'hello', minVersion: PROTOCOL_VERSION, maxVersion: PROTOCOL_VERSION });
    expect(hello!.seq).toBeGreaterThan(0);
    expect(status?.type).toBe('getStatus');
    expect(info.serialNumber).toBe('SCRIPTED');
    expect(client.info).toBe(info);
    expect(client.state).toBe('ready');
    expect(events.states).toEqual(['connecting', 'ready']);
    expect(client.identity.label).toBe('Scripted board');
  });

  it("puts the board's caps into the validation context, with the lab cap and each channel's electrode area", async () => {
    const { client, transport } = await connected({ labCap: { maxAmplitudeUa: 30_000 }, electrodeAreasCm2: { 0: 25, 1: 45 } });
    expect(client.validationContext).toEqual({ caps: transport.caps, labCap: { maxAmplitudeUa: 30_000 } });
    expect(client.validationContextFor(0)).toEqual({ caps: transport.caps, labCap: { maxAmplitudeUa: 30_000 }, electrodeAreaCm2: 25 });
    expect(client.validationContextFor(1)).toEqual({ caps: transport.caps, labCap: { maxAmplitudeUa: 30_000 }, electrodeAreaCm2: 45 });
    client.setLimitsContext({ electrodeAreasCm2: { 0: 16 } });
    expect(client.validationContextFor(0)).toEqual({ caps: transport.caps, electrodeAreaCm2: 16 });
    expect(client.validationContextFor(1)).toEqual({ caps: transport.caps });
  });

  it('refuses connect() while already connected', async () => {
    const { client } = await connected();
    await expect(client.connect()).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('NACK unsupportedVersion to HELLO → IncompatibleFirmwareError, transport closed, state disconnected', async () => {
    const { clock, client, transport, events } = makeClient();
    transport.handlers.hello = (m, t) => t.send({ type: 'nack', replyTo: m.seq, rejectedType: 'hello', code: 'unsupportedVersion', field: 'version', value: 1, bound: 2 });
    const error = await settle(clock, client.connect()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompatibleFirmwareError);
    expect(error).toMatchObject({ code: 'INCOMPATIBLE_FIRMWARE', expected: { min: 1, max: 1 }, got: { min: 2, max: 2 } });
    expect((error as Error).message).toMatch(/protocol v1.*board v2/);
    expect(client.state).toBe('disconnected');
    expect(transport.isOpen).toBe(false);
    expect(events.states).toEqual(['connecting', 'disconnected']);
    expect(transport.ofType('hello')).toHaveLength(1); // a refusal is not retried
  });

  it('INFO with an unsupported protocolVersion → IncompatibleFirmwareError naming it', async () => {
    const { clock, client, transport } = makeClient();
    transport.protocolVersion = 2;
    const error = await settle(clock, client.connect()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompatibleFirmwareError);
    expect(error).toMatchObject({ got: { min: 2, max: 2 } });
    expect(client.state).toBe('disconnected');
  });

  it('a board answering in another frame version → IncompatibleFirmwareError at once (no timeout wait)', async () => {
    const { clock, client, transport } = makeClient();
    transport.handlers.hello = (m, t) => t.send(t.info(m.seq), { version: 2 });
    const started = clock.now();
    const error = await settle(clock, client.connect()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompatibleFirmwareError);
    expect(error).toMatchObject({ got: { min: 2, max: 2 } });
    expect(clock.now() - started).toBeLessThan(250);
  });

  it('HELLO is idempotent: retried twice with the same seq, then RequestTimeoutError', async () => {
    const { clock, client, transport, events } = makeClient();
    transport.handlers.hello = () => {};
    const error = await settle(clock, client.connect()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ attempts: 3 });
    const hellos = transport.ofType('hello');
    expect(hellos).toHaveLength(3);
    expect(new Set(hellos.map((h) => h.seq)).size).toBe(1);
    expect(events.commands.filter((c) => c.kind === 'timeout').map((c) => (c as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    expect(client.state).toBe('disconnected');
    expect(transport.isOpen).toBe(false);
  });

  it('a board with a latched fault connects into "faulted" and reports the fault', async () => {
    const { clock, client, transport, events } = makeClient();
    transport.fault = 'watchdog';
    await settle(clock, client.connect());
    expect(client.state).toBe('faulted');
    expect(events.faults).toMatchObject([{ source: 'board', code: 'watchdog' }]);
  });

  it('output already running at connect (an orphan) is stopped with ESTOP, never adopted', async () => {
    const { clock, client, transport } = makeClient();
    transport.channelStates = ['holding', 'idle'];
    await settle(clock, client.connect());
    await clock.advance(10);
    expect(transport.ofType('estop')).toHaveLength(1);
    expect(transport.channelStates).toEqual(['idle', 'idle']);
    expect(client.state).toBe('faulted');
  });

  it('connect() after a lost link starts from scratch: new HELLO, no program remembered', async () => {
    const { clock, client, transport } = await connected();
    const { CONVENTIONAL } = await import('./fakes/harness.ts');
    await settle(clock, client.setProgram(CONVENTIONAL));
    expect(client.verifiedProgram(0)).not.toBeNull();
    transport.lose();
    await clock.advance(1);
    expect(client.state).toBe('lost');
    transport.helloDone = false;
    await settle(clock, client.connect());
    expect(client.state).toBe('ready');
    expect(transport.ofType('hello')).toHaveLength(2);
    expect(client.verifiedProgram(0)).toBeNull();
    expect(transport.ofType('start')).toHaveLength(0);
  });
});

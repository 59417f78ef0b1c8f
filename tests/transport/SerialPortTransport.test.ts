import { describe, expect, it } from 'vitest';
import { SerialPortTransport } from '../../src/lib/transport/SerialPortTransport.ts';
import { TransportError, type LineErrorKind } from '../../src/lib/transport/Transport.ts';
import { FakeSerialPort } from './fakes/FakeSerialPort.ts';

function setup(info?: ConstructorParameters<typeof FakeSerialPort>[0]) {
  const port = new FakeSerialPort(info);
  const transport = new SerialPortTransport(port, { kind: 'web-serial' });
  return { port, transport };
}

async function expectTransportError(p: Promise<unknown> | (() => unknown), code: string): Promise<TransportError> {
  try {
    if (typeof p === 'function') p();
    else await p;
  } catch (error) {
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe(code);
    return error as TransportError;
  }
  throw new Error(`expected TransportError ${code}, nothing was thrown`);
}

describe('SerialPortTransport: open / close / locks', () => {
  it('refuses readable and writable before open, with NOT_OPEN', async () => {
    const { transport } = setup();
    expect(transport.isOpen).toBe(false);
    await expectTransportError(() => transport.readable, 'NOT_OPEN');
    await expectTransportError(() => transport.writable, 'NOT_OPEN');
  });

  it('opens the port at 115200 8N1 and refuses a second open with ALREADY_OPEN', async () => {
    const { port, transport } = setup();
    await transport.open();
    expect(transport.isOpen).toBe(true);
    expect(port.openCalls).toEqual([{ baudRate: 115200, dataBits: 8, stopBits: 1, parity: 'none' }]);
    await expectTransportError(transport.open(), 'ALREADY_OPEN');
    expect(port.openCalls).toHaveLength(1);
  });

  it('reports OPEN_FAILED when the port cannot be opened (e.g. already open elsewhere)', async () => {
    const { port, transport } = setup();
    await port.open({ baudRate: 9600 });
    const error = await expectTransportError(transport.open(), 'OPEN_FAILED');
    expect(error.message).toContain('InvalidStateError');
    expect(transport.isOpen).toBe(false);
  });

  it('close() releases the port locks (Chrome rejects close() on locked streams) and really closes the port', async () => {
    const { port, transport } = setup();
    await transport.open();
    const reader = transport.readable.getReader();
    const writer = transport.writable.getWriter();
    const pending = reader.read();
    await transport.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(port.isOpen).toBe(false);
    expect(transport.isOpen).toBe(false);
    await expect(writer.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'NOT_OPEN' });
    await expectTransportError(() => transport.readable, 'NOT_OPEN');
    await transport.close(); // closing a closed transport is a no-op
    expect(port.closeCalls).toBe(1);
  });

  it('a consumer cancelling its reader is not a lost device; close() still closes the port', async () => {
    const { port, transport } = setup();
    let lost = 0;
    transport.onDisconnect(() => lost++);
    await transport.open();
    const reader = transport.readable.getReader();
    const pending = reader.read();
    await reader.cancel();
    expect(await pending).toEqual({ done: true, value: undefined });
    await new Promise((r) => setTimeout(r, 0));
    expect(lost).toBe(0);
    expect(transport.isOpen).toBe(true);
    await transport.close();
    expect(port.isOpen).toBe(false);
  });

  it('allows one reader and one writer at a time', async () => {
    const { transport } = setup();
    await transport.open();
    transport.readable.getReader();
    transport.writable.getWriter();
    expect(() => transport.readable.getReader()).toThrow(TypeError);
    expect(() => transport.writable.getWriter()).toThrow(TypeError);
    await transport.close();
  });

  it('moves bytes both ways unchanged', async () => {
    const { port, transport } = setup();
    await transport.open();
    const reader = transport.readable.getReader();
    const writer = transport.writable.getWriter();
    await writer.write(Uint8Array.of(1, 2, 0));
    expect(port.written).toEqual([Uint8Array.of(1, 2, 0)]);
    port.emit([9, 8, 7]);
    expect((await reader.read()).value).toEqual(Uint8Array.of(9, 8, 7));
    await transport.close();
  });

  it('can be opened again after close, with fresh streams', async () => {
    const { port, transport } = setup();
    await transport.open();
    const first = transport.readable;
    await transport.close();
    await transport.open();
    expect(transport.readable).not.toBe(first);
    const reader = transport.readable.getReader();
    port.emit([5]);
    expect((await reader.read()).value).toEqual(Uint8Array.of(5));
    await transport.close();
  });

  it('builds its identity from getInfo(): USB ids and the serial number where exposed', () => {
    const { transport } = setup({ usbVendorId: 0x1209, usbProductId: 0x5354, serialNumber: 'SN42' });
    expect(transport.identity).toEqual({ kind: 'web-serial', usbVendorId: 0x1209, usbProductId: 0x5354, serialNumber: 'SN42', label: 'USB 1209:5354 (SN42)' });
  });
});

describe('SerialPortTransport: recoverable line errors', () => {
  const cases: [name: 'BreakError' | 'FramingError' | 'ParityError' | 'BufferOverrunError', kind: LineErrorKind][] = [
    ['BreakError', 'break'],
    ['FramingError', 'framing'],
    ['ParityError', 'parity'],
    ['BufferOverrunError', 'buffer-overrun'],
  ];
  for (const [name, kind] of cases) {
    it(`${name}: reported as '${kind}', the stream keeps going on the port's fresh readable, nothing closes`, async () => {
      const { port, transport } = setup();
      const kinds: LineErrorKind[] = [];
      let disconnects = 0;
      transport.onLineError((k) => kinds.push(k));
      transport.onDisconnect(() => disconnects++);
      await transport.open();
      const reader = transport.readable.getReader();
      port.emit([1, 2]);
      expect((await reader.read()).value).toEqual(Uint8Array.of(1, 2));
      const next = reader.read();
      const before = port.readable;
      port.lineError(name);
      await Promise.resolve();
      expect(port.readable).not.toBe(before); // Web Serial replaced it
      port.emit([3, 4]);
      expect((await next).value).toEqual(Uint8Array.of(3, 4));
      expect(kinds).toEqual([kind]);
      expect(disconnects).toBe(0);
      expect(transport.isOpen).toBe(true);
      await transport.close();
      expect(port.isOpen).toBe(false);
    });
  }
});

describe('SerialPortTransport: losing the device is fatal', () => {
  it('unplug: pending read and later writes fail with DEVICE_LOST (fatal), onDisconnect runs once, transport closed', async () => {
    const { port, transport } = setup();
    let disconnects = 0;
    transport.onDisconnect(() => disconnects++);
    await transport.open();
    const reader = transport.readable.getReader();
    const writer = transport.writable.getWriter();
    const pending = reader.read();
    port.unplug();
    const error = await expectTransportError(pending, 'DEVICE_LOST');
    expect(error.fatal).toBe(true);
    await expect(writer.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'DEVICE_LOST' });
    expect(disconnects).toBe(1);
    expect(transport.isOpen).toBe(false);
    await transport.close(); // never throws, even on an unplugged port
  });

  it("a 'disconnect' event alone (no read pending) is enough", async () => {
    const { port, transport } = setup();
    let disconnects = 0;
    transport.onDisconnect(() => disconnects++);
    await transport.open();
    port.dispatchEvent(new Event('disconnect'));
    expect(disconnects).toBe(1);
    expect(transport.isOpen).toBe(false);
  });

  it('an UnknownError (operating-system error) on read is fatal, not a line error', async () => {
    const { port, transport } = setup();
    const kinds: LineErrorKind[] = [];
    let disconnects = 0;
    transport.onLineError((k) => kinds.push(k));
    transport.onDisconnect(() => disconnects++);
    await transport.open();
    const reader = transport.readable.getReader();
    const pending = reader.read();
    port.fatalReadError();
    await expectTransportError(pending, 'DEVICE_LOST');
    expect(kinds).toEqual([]);
    expect(disconnects).toBe(1);
  });

  it('a failing write is fatal: DEVICE_LOST and onDisconnect', async () => {
    const port = new FakeSerialPort();
    const transport = new SerialPortTransport(port, { kind: 'web-serial' });
    let disconnects = 0;
    transport.onDisconnect(() => disconnects++);
    await transport.open();
    const writer = transport.writable.getWriter();
    let fail!: (e: unknown) => void;
    port.writeGate = new Promise((_r, reject) => (fail = reject));
    const write = writer.write(Uint8Array.of(1));
    fail(new DOMException('gone', 'NetworkError'));
    await expect(write).rejects.toMatchObject({ code: 'DEVICE_LOST' });
    expect(disconnects).toBe(1);
    expect(transport.isOpen).toBe(false);
  });

  it('a port stream that ends without close() counts as a lost device', async () => {
    const { port, transport } = setup();
    let disconnects = 0;
    transport.onDisconnect(() => disconnects++);
    await transport.open();
    const reader = transport.readable.getReader();
    const pending = reader.read();
    await Promise.resolve();
    port.endStream();
    await expectTransportError(pending, 'DEVICE_LOST');
    expect(disconnects).toBe(1);
    expect(transport.isOpen).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/lib/transport/Transport.ts';
import { STIMBENCH_SERIAL_FILTERS } from '../../src/lib/transport/usbIds.ts';
import { WebSerialTransport } from '../../src/lib/transport/WebSerialTransport.ts';
import { FakeSerial } from './fakes/FakeSerial.ts';
import { FakeSerialPort } from './fakes/FakeSerialPort.ts';

describe('WebSerialTransport', () => {
  it('request(): asks navigator.serial with the given filters and wraps the chosen port', async () => {
    const serial = new FakeSerial();
    const port = new FakeSerialPort({ usbVendorId: 0x1209, usbProductId: 0x5354 });
    serial.next = port;
    const transport = await WebSerialTransport.request(serial, { filters: STIMBENCH_SERIAL_FILTERS });
    expect(serial.requestCalls).toEqual([{ filters: [{ usbVendorId: 0x1209, usbProductId: 0x5354 }] }]);
    expect(transport.kind).toBe('web-serial');
    expect(transport.port).toBe(port);
    expect(transport.identity).toMatchObject({ kind: 'web-serial', usbVendorId: 0x1209, usbProductId: 0x5354, label: 'USB 1209:5354' });
    await transport.open();
    const writer = transport.writable.getWriter();
    await writer.write(Uint8Array.of(7));
    expect(port.written).toEqual([Uint8Array.of(7)]);
    await transport.close();
  });

  it('request() without filters shows every port', async () => {
    const serial = new FakeSerial();
    serial.next = new FakeSerialPort({ usbVendorId: 0x0403, usbProductId: 0x6001 });
    await WebSerialTransport.request(serial);
    expect(serial.requestCalls).toEqual([{}]);
  });

  it('a dismissed chooser (NotFoundError) is NO_PORT_SELECTED; a blocked API (SecurityError) is UNSUPPORTED', async () => {
    const serial = new FakeSerial();
    serial.next = 'NotFoundError';
    await expect(WebSerialTransport.request(serial)).rejects.toMatchObject({ name: 'TransportError', code: 'NO_PORT_SELECTED' });
    serial.next = 'SecurityError';
    const error = await WebSerialTransport.request(serial).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('granted(): every previously granted port, without a chooser', async () => {
    const serial = new FakeSerial();
    serial.granted = [new FakeSerialPort({ usbVendorId: 1, usbProductId: 2 }), new FakeSerialPort({ usbVendorId: 3, usbProductId: 4 })];
    const transports = await WebSerialTransport.granted(serial);
    expect(transports.map((t) => [t.identity.usbVendorId, t.identity.usbProductId])).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(serial.requestCalls).toHaveLength(0);
  });

  describe('findSamePort (reconnect to the same board)', () => {
    it('finds the remembered board by USB ids and serial number among granted ports', async () => {
      const serial = new FakeSerial();
      const a = new FakeSerialPort({ usbVendorId: 0x1209, usbProductId: 0x5354, serialNumber: 'A' });
      const b = new FakeSerialPort({ usbVendorId: 0x1209, usbProductId: 0x5354, serialNumber: 'B' });
      serial.granted = [a, b];
      const remembered = (await WebSerialTransport.granted(serial))[1]!.identity;
      const result = await WebSerialTransport.findSamePort(serial, remembered);
      expect(result.found).toBe(true);
      if (result.found) expect(result.transport.port).toBe(b);
    });

    it('reports two indistinguishable boards (same ids, no serial numbers) as ambiguous instead of guessing', async () => {
      const serial = new FakeSerial();
      serial.granted = [new FakeSerialPort({ usbVendorId: 0x1209, usbProductId: 0x5354 }), new FakeSerialPort({ usbVendorId: 0x1209, usbProductId: 0x5354 })];
      const result = await WebSerialTransport.findSamePort(serial, { kind: 'web-serial', usbVendorId: 0x1209, usbProductId: 0x5354, label: 'x' });
      expect(result).toEqual({ found: false, reason: 'ambiguous', candidates: 2 });
    });

    it('reports none when the board is not among the granted ports', async () => {
      const serial = new FakeSerial();
      serial.granted = [new FakeSerialPort({ usbVendorId: 0x0403, usbProductId: 0x6001 })];
      const result = await WebSerialTransport.findSamePort(serial, { kind: 'web-serial', usbVendorId: 0x1209, usbProductId: 0x5354, label: 'x' });
      expect(result).toEqual({ found: false, reason: 'none', candidates: 0 });
    });

    it('does not match a board whose serial number differs', async () => {
      const serial = new FakeSerial();
      serial.granted = [new FakeSerialPort({ usbVendorId: 0x1209, usbProductId: 0x5354, serialNumber: 'OTHER' })];
      const result = await WebSerialTransport.findSamePort(serial, { kind: 'web-serial', usbVendorId: 0x1209, usbProductId: 0x5354, serialNumber: 'MINE', label: 'x' });
      expect(result.found).toBe(false);
    });
  });
});

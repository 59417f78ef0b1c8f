import { describe, expect, it } from 'vitest';
import { SimulatedBoard } from '../../hardware-mock/src/index.ts';
import { availableTransports, createSimulatedBoardTransport, createTransport } from '../../src/lib/transport/transportFactory.ts';
import { SimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';
import type { UsbLike } from '../../src/lib/transport/UsbSerialPort.ts';
import { WebSerialTransport } from '../../src/lib/transport/WebSerialTransport.ts';
import { WebUsbTransport } from '../../src/lib/transport/WebUsbTransport.ts';
import { FakeSerial } from './fakes/FakeSerial.ts';
import { FakeSerialPort } from './fakes/FakeSerialPort.ts';
import { FakeUsb, FakeUsbDevice } from './fakes/FakeUsb.ts';

describe('availableTransports', () => {
  it('reports all three where navigator.serial and navigator.usb exist', () => {
    const list = availableTransports({ serial: new FakeSerial(), usb: new FakeUsb() as unknown as UsbLike, isSecureContext: true });
    expect(list.map((a) => [a.kind, a.available])).toEqual([
      ['web-serial', true],
      ['webusb', true],
      ['simulated', true],
    ]);
  });

  it('says why a kind is missing: no API in this browser, or not a secure context', () => {
    const plain = availableTransports({ isSecureContext: true });
    expect(plain[0]).toMatchObject({ kind: 'web-serial', available: false });
    expect(plain[0]!.reason).toMatch(/no Web Serial.*Chrome/);
    expect(plain[1]!.reason).toMatch(/no WebUSB/);
    const insecure = availableTransports({ isSecureContext: false });
    expect(insecure[0]!.reason).toMatch(/secure context/);
    expect(insecure[2]).toMatchObject({ kind: 'simulated', available: true });
  });

  it('in Node (no navigator.serial / navigator.usb) only the simulated board is available', () => {
    expect(availableTransports().filter((a) => a.available).map((a) => a.kind)).toEqual(['simulated']);
  });
});

describe('createTransport', () => {
  it("'web-serial' asks navigator.serial for a port (with filters), or wraps a given one", async () => {
    const serial = new FakeSerial();
    serial.next = new FakeSerialPort();
    const t = await createTransport({ kind: 'web-serial', filters: [{ usbVendorId: 0x1209 }] }, { serial });
    expect(t).toBeInstanceOf(WebSerialTransport);
    expect(serial.requestCalls).toEqual([{ filters: [{ usbVendorId: 0x1209 }] }]);
    const port = new FakeSerialPort();
    const given = await createTransport({ kind: 'web-serial', port }, { serial });
    expect((given as WebSerialTransport).port).toBe(port);
    expect(serial.requestCalls).toHaveLength(1);
  });

  it("'webusb' asks navigator.usb for a device, or wraps a given one", async () => {
    const usb = new FakeUsb();
    usb.next = new FakeUsbDevice();
    const t = await createTransport({ kind: 'webusb' }, { usb: usb as unknown as UsbLike });
    expect(t).toBeInstanceOf(WebUsbTransport);
    expect(t.identity.serialNumber).toBe('USB-SN-1');
  });

  it("'simulated' wraps a given board, or builds one (hardware-mock loaded on demand)", async () => {
    const board = new SimulatedBoard({ telemetryRateHz: 0 });
    const t = await createTransport({ kind: 'simulated', board });
    expect(t).toBeInstanceOf(SimulatedTransport);
    expect((t as SimulatedTransport).board).toBe(board);
    board.destroy();
    const built = await createSimulatedBoardTransport({ serialNumber: 'DEMO-7', telemetryRateHz: 0 });
    expect(built.identity.label).toBe('Simulated board (DEMO-7)');
    (built.board as SimulatedBoard).destroy();
  });

  it('an unavailable kind is refused with UNSUPPORTED and the reason', async () => {
    await expect(createTransport({ kind: 'web-serial' }, { isSecureContext: false })).rejects.toMatchObject({ name: 'TransportError', code: 'UNSUPPORTED', message: expect.stringMatching(/secure context/) });
    await expect(createTransport({ kind: 'webusb' }, {})).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});

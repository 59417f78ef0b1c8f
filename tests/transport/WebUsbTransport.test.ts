import { describe, expect, it } from 'vitest';
import type { UsbLike } from '../../src/lib/transport/UsbSerialPort.ts';
import { WebUsbTransport } from '../../src/lib/transport/WebUsbTransport.ts';
import { FakeUsb, FakeUsbDevice } from './fakes/FakeUsb.ts';

const asUsb = (usb: FakeUsb) => usb as unknown as UsbLike;
const asDevice = (d: FakeUsbDevice) => d as unknown as USBDevice;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('WebUsbTransport (web-serial-polyfill over WebUSB CDC-ACM)', () => {
  it('request(): asks for a CDC device (class 0x02) narrowed by the given USB ids', async () => {
    const usb = new FakeUsb();
    usb.next = new FakeUsbDevice();
    await WebUsbTransport.request(asUsb(usb), { filters: [{ vendorId: 0x1209, productId: 0x5354 }] });
    expect(usb.requestCalls).toEqual([{ filters: [{ classCode: 2, vendorId: 0x1209, productId: 0x5354 }] }]);
    await WebUsbTransport.request(asUsb(usb));
    expect(usb.requestCalls[1]).toEqual({ filters: [{ classCode: 2 }] });
  });

  it('identity carries the USB serial number (which Web Serial does not always expose)', async () => {
    const usb = new FakeUsb();
    usb.next = new FakeUsbDevice({ serialNumber: 'SB-000123' });
    const t = await WebUsbTransport.request(asUsb(usb));
    expect(t.kind).toBe('webusb');
    expect(t.identity).toEqual({ kind: 'webusb', usbVendorId: 0x1209, usbProductId: 0x5354, serialNumber: 'SB-000123', label: 'StimBench board 1209:5354 (SB-000123)' });
  });

  it('open() claims the CDC control and data interfaces, sets 115200 8N1 line coding and DTR', async () => {
    const usb = new FakeUsb();
    const device = new FakeUsbDevice();
    const t = new WebUsbTransport(asUsb(usb), asDevice(device));
    await t.open();
    expect(device.configuration?.configurationValue).toBe(1);
    expect(device.claimed).toEqual([0, 1]);
    const [lineCoding, lineState] = device.control;
    // USB CDC 1.1 §6.2.12 SET_LINE_CODING (0x20): dwDTERate u32 LE, bCharFormat (0 = 1 stop bit), bParityType (0 = none), bDataBits.
    expect(lineCoding?.setup).toMatchObject({ requestType: 'class', recipient: 'interface', request: 0x20, index: 0 });
    expect([...lineCoding!.data]).toEqual([0x00, 0xc2, 0x01, 0x00, 0, 0, 8]);
    // §6.2.14 SET_CONTROL_LINE_STATE (0x22): DTR on.
    expect(lineState?.setup).toMatchObject({ request: 0x22, value: 1, index: 0 });
    await t.close();
  });

  it('bytes go out on bulk OUT endpoint 2 and come in from bulk IN endpoint 1', async () => {
    const usb = new FakeUsb();
    const device = new FakeUsbDevice();
    const t = new WebUsbTransport(asUsb(usb), asDevice(device));
    await t.open();
    const writer = t.writable.getWriter();
    await writer.write(Uint8Array.of(1, 2, 3, 0));
    expect(device.transfersOut).toEqual([{ endpoint: 2, data: Uint8Array.of(1, 2, 3, 0) }]);
    const reader = t.readable.getReader();
    const read = reader.read();
    await tick();
    device.emit([4, 5, 6]);
    expect((await read).value).toEqual(Uint8Array.of(4, 5, 6));
    expect(new Set(device.transferInEndpoints)).toEqual(new Set([1]));
    await t.close();
    expect(device.opened).toBe(false);
  });

  it("navigator.usb 'disconnect' for this device is fatal: DEVICE_LOST and onDisconnect once; other devices are ignored", async () => {
    const usb = new FakeUsb();
    const device = new FakeUsbDevice();
    const other = new FakeUsbDevice({ serialNumber: 'OTHER' });
    const t = new WebUsbTransport(asUsb(usb), asDevice(device));
    let lost = 0;
    t.onDisconnect(() => lost++);
    await t.open();
    const reader = t.readable.getReader();
    const read = reader.read();
    usb.fireDisconnect(other);
    expect(lost).toBe(0);
    expect(t.isOpen).toBe(true);
    device.unplug();
    usb.fireDisconnect(device);
    await expect(read).rejects.toMatchObject({ name: 'TransportError', code: 'DEVICE_LOST' });
    expect(lost).toBe(1);
    expect(t.isOpen).toBe(false);
  });

  it('a USB transfer error alone (no event yet) is also fatal', async () => {
    const usb = new FakeUsb();
    const device = new FakeUsbDevice();
    const t = new WebUsbTransport(asUsb(usb), asDevice(device));
    let lost = 0;
    t.onDisconnect(() => lost++);
    await t.open();
    const read = t.readable.getReader().read();
    await tick();
    device.unplug();
    await expect(read).rejects.toMatchObject({ code: 'DEVICE_LOST' });
    expect(lost).toBe(1);
  });

  it('a device without CDC-ACM interfaces is refused as UNSUPPORTED; granted() skips it', async () => {
    const usb = new FakeUsb();
    usb.next = new FakeUsbDevice({ cdc: false });
    await expect(WebUsbTransport.request(asUsb(usb))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    usb.devices = [new FakeUsbDevice({ cdc: false }), new FakeUsbDevice({ serialNumber: 'OK' })];
    const granted = await WebUsbTransport.granted(asUsb(usb));
    expect(granted.map((t) => t.identity.serialNumber)).toEqual(['OK']);
  });

  it('a dismissed chooser is NO_PORT_SELECTED', async () => {
    const usb = new FakeUsb();
    await expect(WebUsbTransport.request(asUsb(usb))).rejects.toMatchObject({ code: 'NO_PORT_SELECTED' });
  });

  it('findSamePort() picks the remembered board by serial number', async () => {
    const usb = new FakeUsb();
    usb.devices = [new FakeUsbDevice({ serialNumber: 'A' }), new FakeUsbDevice({ serialNumber: 'B' })];
    const result = await WebUsbTransport.findSamePort(asUsb(usb), { kind: 'webusb', usbVendorId: 0x1209, usbProductId: 0x5354, serialNumber: 'B', label: '' });
    expect(result.found && result.transport.identity.serialNumber).toBe('B');
  });
});

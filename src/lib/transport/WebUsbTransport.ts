/**
 * WebUSB CDC-ACM (navigator.usb) through web-serial-polyfill, for platforms without Web Serial (e.g.
 * Chrome on Android). Only works where the OS has not claimed the device with its own CDC driver:
 * otherwise claimInterface fails and open() reports OPEN_FAILED. `usb` is injected for Node tests.
 */
import { describeError } from '../thrown.ts';
import { identityMatches } from './portIdentity.ts';
import { SerialPortTransport } from './SerialPortTransport.ts';
import { UsbSerialPort, type UsbLike } from './UsbSerialPort.ts';
import { TransportError, type PortIdentity } from './Transport.ts';
import { USB_CLASS_CDC } from './usbIds.ts';

export interface WebUsbRequestOptions {
  /** Narrow the chooser by USB ids; each filter also requires a CDC interface, as the polyfill does. */
  filters?: { vendorId?: number; productId?: number }[];
  serialOptions?: SerialOptions;
}

export type SameUsbDeviceResult =
  | { found: true; transport: WebUsbTransport }
  | { found: false; reason: 'none' | 'ambiguous'; candidates: number };

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

export class WebUsbTransport extends SerialPortTransport {
  readonly device: USBDevice;

  constructor(usb: UsbLike, device: USBDevice, options: { serialOptions?: SerialOptions } = {}) {
    const port = new UsbSerialPort(usb, device);
    const name = device.productName || 'WebUSB';
    const label = `${name} ${hex4(device.vendorId)}:${hex4(device.productId)}${device.serialNumber ? ` (${device.serialNumber})` : ''}`;
    super(port, { kind: 'webusb', label, ...options });
    this.device = device;
  }

  /** Ask the user to pick a USB device (inside a user gesture). */
  static async request(usb: UsbLike, options: WebUsbRequestOptions = {}): Promise<WebUsbTransport> {
    const filters: USBDeviceFilter[] = (options.filters ?? [{}]).map((f) => {
      const filter: USBDeviceFilter = { classCode: USB_CLASS_CDC };
      if (f.vendorId !== undefined) filter.vendorId = f.vendorId;
      if (f.productId !== undefined) filter.productId = f.productId;
      return filter;
    });
    let device: USBDevice;
    try {
      device = await usb.requestDevice({ filters });
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      if (name === 'NotFoundError') throw new TransportError('NO_PORT_SELECTED', 'no USB device was selected');
      if (name === 'SecurityError') throw new TransportError('UNSUPPORTED', `WebUSB is blocked here (${describeError(error)})`);
      throw new TransportError('OPEN_FAILED', `requestDevice failed (${describeError(error)})`);
    }
    return WebUsbTransport.#wrap(usb, device, options);
  }

  /** Devices granted before that have CDC-ACM interfaces (others are skipped, as the polyfill's getPorts does). */
  static async granted(usb: UsbLike, options: { serialOptions?: SerialOptions } = {}): Promise<WebUsbTransport[]> {
    const out: WebUsbTransport[] = [];
    for (const device of await usb.getDevices()) {
      try {
        out.push(new WebUsbTransport(usb, device, options));
      } catch {
        // not a CDC-ACM device
      }
    }
    return out;
  }

  /** The remembered board among granted devices; USB ids and serial number must match. */
  static async findSamePort(usb: UsbLike, identity: PortIdentity, options: { serialOptions?: SerialOptions } = {}): Promise<SameUsbDeviceResult> {
    const matches = (await WebUsbTransport.granted(usb, options)).filter((t) => identityMatches(identity, t.identity));
    const only = matches[0];
    if (matches.length === 1 && only) return { found: true, transport: only };
    return { found: false, reason: matches.length === 0 ? 'none' : 'ambiguous', candidates: matches.length };
  }

  static #wrap(usb: UsbLike, device: USBDevice, options: { serialOptions?: SerialOptions }): WebUsbTransport {
    try {
      return new WebUsbTransport(usb, device, options.serialOptions ? { serialOptions: options.serialOptions } : {});
    } catch (error) {
      throw new TransportError('UNSUPPORTED', `the selected USB device has no CDC-ACM interface (${describeError(error)})`);
    }
  }
}

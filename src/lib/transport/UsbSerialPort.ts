/**
 * A USBDevice presented with the W3C SerialPort shape, through the maintained web-serial-polyfill
 * (Google, https://github.com/google/web-serial-polyfill), which speaks USB CDC-ACM: it claims the
 * CDC control interface (class 0x02) and the CDC-Data interface (class 0x0A), sends SET_LINE_CODING
 * and SET_CONTROL_LINE_STATE, and moves bytes with bulk transferIn/transferOut.
 *
 * The polyfill's port has no connect/disconnect events and its getInfo() has no serial number; this
 * adapter adds both from WebUSB (`navigator.usb` 'disconnect' events filtered to this device, and
 * `USBDevice.serialNumber`), so WebUSB boards get the same identity and loss handling as Web Serial ones.
 */
import { SerialPort as PolyfillSerialPort, type SerialPolyfillOptions } from 'web-serial-polyfill';
import type { PortEventListener, SerialPortInfoLike, SerialPortLike } from './SerialPortLike.ts';

/** The part of the WebUSB `USB` interface (navigator.usb) used here. */
export interface UsbLike {
  requestDevice(options: USBDeviceRequestOptions): Promise<USBDevice>;
  getDevices(): Promise<USBDevice[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: (event: USBConnectionEvent) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: (event: USBConnectionEvent) => void): void;
}

export class UsbSerialPort implements SerialPortLike {
  readonly device: USBDevice;
  readonly #inner: PolyfillSerialPort;
  readonly #usb: UsbLike;
  readonly #wrapped = new Map<PortEventListener, (event: USBConnectionEvent) => void>();

  /** Throws TypeError (from the polyfill) when the device has no CDC-ACM interfaces. */
  constructor(usb: UsbLike, device: USBDevice, polyfillOptions?: SerialPolyfillOptions) {
    this.#usb = usb;
    this.device = device;
    this.#inner = new PolyfillSerialPort(device, polyfillOptions);
  }

  get readable(): ReadableStream<Uint8Array> | null {
    return this.#inner.readable;
  }
  get writable(): WritableStream<Uint8Array> | null {
    return this.#inner.writable;
  }
  get serialNumber(): string | null {
    return this.device.serialNumber ?? null;
  }

  open(options: SerialOptions): Promise<void> {
    return this.#inner.open(options);
  }
  close(): Promise<void> {
    return this.#inner.close();
  }

  getInfo(): SerialPortInfoLike {
    const info: SerialPortInfoLike = { usbVendorId: this.device.vendorId, usbProductId: this.device.productId };
    if (this.device.serialNumber) info.serialNumber = this.device.serialNumber;
    return info;
  }

  addEventListener(type: 'connect' | 'disconnect', listener: PortEventListener): void {
    if (this.#wrapped.has(listener)) return;
    const onUsb = (event: USBConnectionEvent) => {
      if (event.device === this.device) listener(event);
    };
    this.#wrapped.set(listener, onUsb);
    this.#usb.addEventListener(type, onUsb);
  }

  removeEventListener(type: 'connect' | 'disconnect', listener: PortEventListener): void {
    const onUsb = this.#wrapped.get(listener);
    if (!onUsb) return;
    this.#wrapped.delete(listener);
    this.#usb.removeEventListener(type, onUsb);
  }
}

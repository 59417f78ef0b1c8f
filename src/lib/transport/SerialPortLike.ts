/**
 * The part of the W3C Web Serial `SerialPort` (https://wicg.github.io/serial/#dom-serialport) that
 * StimBench uses. A real Chrome port, the web-serial-polyfill's WebUSB port (through UsbSerialPort),
 * the simulated board's `board.port` and the worker-hosted board's proxy all have this shape, so one
 * transport (SerialPortTransport) serves them all and real and simulated boards take the same path.
 */
export interface SerialPortInfoLike {
  usbVendorId?: number | undefined;
  usbProductId?: number | undefined;
  /** Not in the Web Serial spec's SerialPortInfo; read where a port exposes it (WebUSB adapter, simulators). */
  serialNumber?: string | undefined;
}

export type PortEventListener = (event: Event) => void;

export interface SerialPortLike {
  open(options: SerialOptions): Promise<void>;
  close(): Promise<void>;
  /** Non-null while open and not fatally errored; replaced by a fresh stream after a recoverable read error. */
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
  getInfo(): SerialPortInfoLike;
  addEventListener?(type: 'connect' | 'disconnect', listener: PortEventListener): void;
  removeEventListener?(type: 'connect' | 'disconnect', listener: PortEventListener): void;
  /** Some ports (simulators, the worker proxy) expose the USB serial number here. */
  readonly serialNumber?: string | null | undefined;
}

/** StimBench boards: 115200 8N1 (PROTOCOL.md). Ignored by USB CDC devices and the simulator. */
export const DEFAULT_SERIAL_OPTIONS: SerialOptions = { baudRate: 115_200, dataBits: 8, stopBits: 1, parity: 'none' };

/** A fake navigator.serial following the Web Serial spec: requestPort rejects NotFoundError when the chooser is dismissed. */
import { FakeSerialPort } from './FakeSerialPort.ts';

export class FakeSerial extends EventTarget {
  readonly requestCalls: (SerialPortRequestOptions | undefined)[] = [];
  /** Ports already granted to this origin (getPorts). */
  granted: FakeSerialPort[] = [];
  /** What the user picks in the chooser next: a port, or an error name (NotFoundError = dismissed). */
  next: FakeSerialPort | 'NotFoundError' | 'SecurityError' = 'NotFoundError';

  async requestPort(options?: SerialPortRequestOptions): Promise<FakeSerialPort> {
    this.requestCalls.push(options);
    const next = this.next;
    if (typeof next === 'string') throw new DOMException(next === 'NotFoundError' ? 'No port selected by the user.' : 'Access denied.', next);
    const matches = !options?.filters?.length || options.filters.some((f) => {
      const info = next.getInfo();
      return (f.usbVendorId === undefined || f.usbVendorId === info.usbVendorId) && (f.usbProductId === undefined || f.usbProductId === info.usbProductId);
    });
    if (!matches) throw new DOMException('No port selected by the user.', 'NotFoundError');
    if (!this.granted.includes(next)) this.granted.push(next);
    return next;
  }

  async getPorts(): Promise<FakeSerialPort[]> {
    return [...this.granted];
  }
}

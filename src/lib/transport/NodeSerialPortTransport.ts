/**
 * The Transport for a serial device in Node (kind 'node-serial'): SerialPortTransport over a
 * NodeSerialPort, so open/close, locks, device loss and the stable streams behave exactly as with Web
 * Serial in the browser. Node-only (it imports `serialport`); the browser app never loads it.
 *
 *   const transport = createNodeSerialTransport('/dev/pts/3');
 */
import { NodeSerialPort } from './NodeSerialPort.ts';
import type { SerialPortInfoLike } from './SerialPortLike.ts';
import { SerialPortTransport } from './SerialPortTransport.ts';

export interface NodeSerialTransportOptions {
  /** USB ids and serial number where known (`SerialPort.list()`); used for the identity and label. */
  info?: SerialPortInfoLike;
  /** Defaults to "Serial <path>". */
  label?: string;
  serialOptions?: SerialOptions;
}

export class NodeSerialPortTransport extends SerialPortTransport {
  readonly path: string;
  constructor(path: string, options: NodeSerialTransportOptions = {}) {
    super(new NodeSerialPort(path, options.info), {
      kind: 'node-serial',
      label: options.label ?? `Serial ${path}`,
      ...(options.serialOptions ? { serialOptions: options.serialOptions } : {}),
    });
    this.path = path;
  }
}

export function createNodeSerialTransport(path: string, options: NodeSerialTransportOptions = {}): NodeSerialPortTransport {
  return new NodeSerialPortTransport(path, options);
}

/**
 * Web Serial (navigator.serial, https://wicg.github.io/serial/). The `serial` object is injected so
 * Node tests can pass a spec-following fake; the app passes navigator.serial (see transportFactory).
 */
import { describeError } from '../thrown.ts';
import { identityMatches, identityOfPort } from './portIdentity.ts';
import { SerialPortTransport } from './SerialPortTransport.ts';
import type { SerialPortLike } from './SerialPortLike.ts';
import { TransportError, type PortIdentity } from './Transport.ts';

/** The part of the W3C `Serial` interface used here. */
export interface SerialLike {
  requestPort(options?: SerialPortRequestOptions): Promise<SerialPortLike>;
  getPorts(): Promise<SerialPortLike[]>;
}

export interface WebSerialRequestOptions {
  /** Show only matching ports in the chooser (e.g. STIMBENCH_USB_FILTERS). Default: every port. */
  filters?: SerialPortFilter[];
  serialOptions?: SerialOptions;
}

/** Result of looking for a remembered board among the ports this origin was already granted. */
export type SamePortResult =
  | { found: true; transport: WebSerialTransport }
  | { found: false; reason: 'none' | 'ambiguous'; candidates: number };

export class WebSerialTransport extends SerialPortTransport {
  constructor(port: SerialPortLike, options: { serialOptions?: SerialOptions; label?: string } = {}) {
    super(port, { kind: 'web-serial', ...options });
  }

  /**
   * Ask the user to pick a port (must run inside a user gesture). A dismissed chooser rejects with
   * NotFoundError per spec, reported as TransportError('NO_PORT_SELECTED').
   */
  static async request(serial: SerialLike, options: WebSerialRequestOptions = {}): Promise<WebSerialTransport> {
    let port: SerialPortLike;
    try {
      port = await serial.requestPort(options.filters ? { filters: options.filters } : {});
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      if (name === 'NotFoundError') throw new TransportError('NO_PORT_SELECTED', 'no serial port was selected');
      if (name === 'SecurityError') throw new TransportError('UNSUPPORTED', `Web Serial is blocked here (${describeError(error)}); it needs a secure context, a user gesture and permission`);
      throw new TransportError('OPEN_FAILED', `requestPort failed (${describeError(error)})`);
    }
    return new WebSerialTransport(port, WebSerialTransport.#portOptions(options));
  }

  /** Every port this origin was granted before, without a chooser (e.g. to list boards on startup). */
  static async granted(serial: SerialLike, options: { serialOptions?: SerialOptions } = {}): Promise<WebSerialTransport[]> {
    const ports = await serial.getPorts();
    return ports.map((p) => new WebSerialTransport(p, WebSerialTransport.#portOptions(options)));
  }

  /**
   * Find the board remembered by `identity` among the granted ports, so the app can reconnect to the
   * same one after a re-plug or re-enumeration. USB ids must match, and the serial number too where both
   * sides know it; two indistinguishable candidates are reported as ambiguous instead of guessed.
   */
  static async findSamePort(serial: SerialLike, identity: PortIdentity, options: { serialOptions?: SerialOptions } = {}): Promise<SamePortResult> {
    const ports = await serial.getPorts();
    const matches = ports.filter((p) => identityMatches(identity, identityOfPort('web-serial', p)));
    const only = matches[0];
    if (matches.length === 1 && only) return { found: true, transport: new WebSerialTransport(only, WebSerialTransport.#portOptions(options)) };
    return { found: false, reason: matches.length === 0 ? 'none' : 'ambiguous', candidates: matches.length };
  }

  static #portOptions(options: { serialOptions?: SerialOptions }): { serialOptions?: SerialOptions } {
    return options.serialOptions ? { serialOptions: options.serialOptions } : {};
  }
}

/**
 * The one way the app gets a Transport: real boards (Web Serial, WebUSB) and the simulated board all
 * come out of here, so the UI takes the same path to the bytes for each. Browser APIs are injected
 * through TransportEnvironment (defaults: navigator.serial / navigator.usb) so Node tests pass fakes.
 */
import type { SerialPortLike } from './SerialPortLike.ts';
import { createSimulatedTransport, type SimulatedBoardLike, type SimulatedTransport } from './SimulatedTransport.ts';
import { TransportError, type Transport, type TransportKind } from './Transport.ts';
import type { UsbLike } from './UsbSerialPort.ts';
import { WebSerialTransport, type SerialLike } from './WebSerialTransport.ts';
import { WebUsbTransport } from './WebUsbTransport.ts';

export interface TransportEnvironment {
  serial?: SerialLike | undefined;
  usb?: UsbLike | undefined;
  /** window.isSecureContext: Web Serial and WebUSB exist only in secure contexts (https, localhost). */
  isSecureContext?: boolean | undefined;
}

export interface TransportAvailability {
  kind: TransportKind;
  available: boolean;
  /** Why not (or what it needs), for the connect dialog. */
  reason: string;
}

/** navigator.serial / navigator.usb of this page, where they exist. */
export function browserEnvironment(): TransportEnvironment {
  const g = globalThis as { navigator?: { serial?: SerialLike; usb?: UsbLike }; isSecureContext?: boolean };
  return { serial: g.navigator?.serial, usb: g.navigator?.usb, isSecureContext: g.isSecureContext };
}

/** Which transports this browser offers, and why a missing one is missing. */
export function availableTransports(env: TransportEnvironment = browserEnvironment()): TransportAvailability[] {
  const insecure = env.isSecureContext === false;
  const why = (api: string, browsers: string) =>
    insecure ? `${api} needs a secure context (https:// or http://localhost)` : `this browser has no ${api} (${browsers})`;
  return [
    env.serial
      ? { kind: 'web-serial', available: true, reason: 'Web Serial (navigator.serial)' }
      : { kind: 'web-serial', available: false, reason: why('Web Serial', 'desktop Chrome, Edge or Opera 89+') },
    env.usb
      ? { kind: 'webusb', available: true, reason: 'WebUSB CDC-ACM (navigator.usb), for boards the OS has not claimed' }
      : { kind: 'webusb', available: false, reason: why('WebUSB', 'Chrome, Edge or Opera 61+, including Android') },
    { kind: 'simulated', available: true, reason: 'built-in simulated board' },
  ];
}

/** What to connect to. Without `port`/`device`, the browser's chooser is shown (needs a user gesture). */
export type TransportRequest =
  | { kind: 'web-serial'; port?: SerialPortLike; filters?: SerialPortFilter[]; serialOptions?: SerialOptions }
  | { kind: 'webusb'; device?: USBDevice; filters?: { vendorId?: number; productId?: number }[]; serialOptions?: SerialOptions }
  | { kind: 'simulated'; board?: SimulatedBoardLike; boardOptions?: Record<string, unknown> };

export async function createTransport(request: TransportRequest, env: TransportEnvironment = browserEnvironment()): Promise<Transport> {
  switch (request.kind) {
    case 'web-serial': {
      if (request.port) return new WebSerialTransport(request.port, request.serialOptions ? { serialOptions: request.serialOptions } : {});
      const serial = need(env.serial, 'web-serial', env);
      return WebSerialTransport.request(serial, {
        ...(request.filters ? { filters: request.filters } : {}),
        ...(request.serialOptions ? { serialOptions: request.serialOptions } : {}),
      });
    }
    case 'webusb': {
      const usb = need(env.usb, 'webusb', env);
      const options = request.serialOptions ? { serialOptions: request.serialOptions } : {};
      if (request.device) return new WebUsbTransport(usb, request.device, options);
      return WebUsbTransport.request(usb, { ...(request.filters ? { filters: request.filters } : {}), ...options });
    }
    case 'simulated':
      return request.board ? createSimulatedTransport(request.board) : createSimulatedBoardTransport(request.boardOptions ?? {});
  }
}

/**
 * A new simulated board on the real clock, with its transport. hardware-mock is loaded on demand so the
 * simulator is not in the bundle's main chunk.
 */
export async function createSimulatedBoardTransport(boardOptions: Record<string, unknown> = {}): Promise<SimulatedTransport> {
  const { SimulatedBoard } = await import('../../../hardware-mock/src/index.ts');
  const board = new SimulatedBoard(boardOptions as ConstructorParameters<typeof SimulatedBoard>[0]);
  return createSimulatedTransport(board);
}

function need<T>(api: T | undefined, kind: TransportKind, env: TransportEnvironment): T {
  if (api) return api;
  const reason = availableTransports(env).find((a) => a.kind === kind)?.reason ?? kind;
  throw new TransportError('UNSUPPORTED', reason);
}


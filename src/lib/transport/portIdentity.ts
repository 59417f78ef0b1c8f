/** Port identity from USB ids and serial number: what lets the app reconnect to the same board. */
import type { SerialPortInfoLike, SerialPortLike } from './SerialPortLike.ts';
import type { PortIdentity, TransportKind } from './Transport.ts';

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** The identity of a port: USB ids from getInfo(), and the serial number where the port exposes one. */
export function identityOfPort(kind: TransportKind, port: SerialPortLike, label?: string): PortIdentity {
  const info: SerialPortInfoLike = port.getInfo();
  const identity: PortIdentity = { kind, label: '' };
  if (typeof info.usbVendorId === 'number') identity.usbVendorId = info.usbVendorId;
  if (typeof info.usbProductId === 'number') identity.usbProductId = info.usbProductId;
  const serial = typeof info.serialNumber === 'string' && info.serialNumber !== '' ? info.serialNumber : port.serialNumber;
  if (typeof serial === 'string' && serial !== '') identity.serialNumber = serial;
  identity.label = label ?? defaultLabel(identity);
  return identity;
}

function defaultLabel(identity: PortIdentity): string {
  const kindName = identity.kind === 'webusb' ? 'WebUSB' : identity.kind === 'web-serial' ? 'USB' : 'Simulated board';
  const ids = identity.usbVendorId !== undefined && identity.usbProductId !== undefined ? ` ${hex4(identity.usbVendorId)}:${hex4(identity.usbProductId)}` : '';
  const serial = identity.serialNumber !== undefined ? ` (${identity.serialNumber})` : '';
  return `${kindName}${ids}${serial}`.trim();
}

/**
 * Whether a port's identity matches a remembered one. USB ids must match; when both sides know a serial
 * number it must match too. Without serial numbers two identical boards cannot be told apart, which
 * findSamePort reports as ambiguous rather than guessing.
 */
export function identityMatches(remembered: PortIdentity, candidate: PortIdentity): boolean {
  if (remembered.usbVendorId !== candidate.usbVendorId || remembered.usbProductId !== candidate.usbProductId) return false;
  if (remembered.serialNumber !== undefined && candidate.serialNumber !== undefined) return remembered.serialNumber === candidate.serialNumber;
  return true;
}

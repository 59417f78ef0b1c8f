/**
 * Fake WebUSB (navigator.usb and a CDC-ACM USBDevice) following the WebUSB spec closely enough for
 * web-serial-polyfill: configurations/interfaces/alternates/endpoints, open → selectConfiguration →
 * claimInterface, controlTransferOut, bulk transferIn/transferOut, and 'disconnect' events carrying the device.
 */
export interface ControlCall {
  setup: USBControlTransferParameters;
  data: Uint8Array;
}

/** Interface 0: CDC control (class 2) with an interrupt IN; interface 1: CDC-Data (class 10) with bulk IN 1 / OUT 2. */
function cdcAcmConfiguration(withCdc: boolean): USBConfiguration {
  const ep = (endpointNumber: number, direction: USBDirection, type: USBEndpointType, packetSize: number) =>
    ({ endpointNumber, direction, type, packetSize }) as USBEndpoint;
  const iface = (interfaceNumber: number, interfaceClass: number, endpoints: USBEndpoint[]) => {
    const alternate = { alternateSetting: 0, interfaceClass, interfaceSubclass: 0, interfaceProtocol: 0, interfaceName: null, endpoints } as unknown as USBAlternateInterface;
    return { interfaceNumber, alternate, alternates: [alternate], claimed: false } as unknown as USBInterface;
  };
  const interfaces = withCdc
    ? [iface(0, 2, [ep(3, 'in', 'interrupt', 8)]), iface(1, 10, [ep(1, 'in', 'bulk', 64), ep(2, 'out', 'bulk', 64)])]
    : [iface(0, 0xff, [ep(1, 'in', 'bulk', 64)])];
  return { configurationValue: 1, configurationName: null, interfaces } as unknown as USBConfiguration;
}

export class FakeUsbDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber: string | null;
  readonly productName: string | null;
  readonly configurations: USBConfiguration[];
  configuration: USBConfiguration | null = null;
  opened = false;
  readonly claimed: number[] = [];
  readonly control: ControlCall[] = [];
  readonly transfersOut: { endpoint: number; data: Uint8Array }[] = [];
  readonly transferInEndpoints: number[] = [];
  #pendingIn: { resolve: (r: USBInTransferResult) => void; reject: (e: unknown) => void }[] = [];
  #inbox: Uint8Array[] = [];
  #gone = false;

  constructor(options: { vendorId?: number; productId?: number; serialNumber?: string | null; productName?: string | null; cdc?: boolean } = {}) {
    this.vendorId = options.vendorId ?? 0x1209;
    this.productId = options.productId ?? 0x5354;
    this.serialNumber = options.serialNumber === undefined ? 'USB-SN-1' : options.serialNumber;
    this.productName = options.productName === undefined ? 'StimBench board' : options.productName;
    this.configurations = [cdcAcmConfiguration(options.cdc ?? true)];
  }

  async open(): Promise<void> {
    if (this.#gone) throw new DOMException('The device was disconnected.', 'NotFoundError');
    this.opened = true;
  }
  async close(): Promise<void> {
    this.opened = false;
    for (const p of this.#pendingIn.splice(0)) p.reject(new DOMException('The transfer was cancelled.', 'AbortError'));
  }
  async selectConfiguration(value: number): Promise<void> {
    this.configuration = this.configurations.find((c) => c.configurationValue === value) ?? null;
  }
  async claimInterface(n: number): Promise<void> {
    if (!this.opened || !this.configuration) throw new DOMException('The device must be opened first.', 'InvalidStateError');
    this.claimed.push(n);
  }
  async controlTransferOut(setup: USBControlTransferParameters, data?: BufferSource): Promise<USBOutTransferResult> {
    const bytes = data ? new Uint8Array(data instanceof ArrayBuffer ? data : (data as ArrayBufferView).buffer) : new Uint8Array(0);
    this.control.push({ setup, data: bytes.slice() });
    return { status: 'ok', bytesWritten: bytes.length } as USBOutTransferResult;
  }
  async transferOut(endpoint: number, data: BufferSource): Promise<USBOutTransferResult> {
    if (this.#gone) throw new DOMException('A transfer error has occurred.', 'NetworkError');
    const view = data as ArrayBufferView;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
    this.transfersOut.push({ endpoint, data: bytes });
    return { status: 'ok', bytesWritten: bytes.length } as USBOutTransferResult;
  }
  transferIn(endpoint: number, _length: number): Promise<USBInTransferResult> {
    this.transferInEndpoints.push(endpoint);
    if (this.#gone) return Promise.reject(new DOMException('A transfer error has occurred.', 'NetworkError'));
    const queued = this.#inbox.shift();
    if (queued) return Promise.resolve(this.#result(queued));
    return new Promise((resolve, reject) => this.#pendingIn.push({ resolve, reject }));
  }
  async forget(): Promise<void> {}

  // ---- device side ----
  emit(bytes: number[]): void {
    const data = Uint8Array.from(bytes);
    const p = this.#pendingIn.shift();
    if (p) p.resolve(this.#result(data));
    else this.#inbox.push(data);
  }
  /** Pull the cable: pending and later transfers fail with NetworkError. */
  unplug(): void {
    this.#gone = true;
    this.opened = false;
    for (const p of this.#pendingIn.splice(0)) p.reject(new DOMException('A transfer error has occurred.', 'NetworkError'));
  }
  #result(data: Uint8Array): USBInTransferResult {
    // A fresh buffer per transfer: the polyfill's byte stream transfers (detaches) it.
    const copy = new Uint8Array(data);
    return { status: 'ok', data: new DataView(copy.buffer) } as USBInTransferResult;
  }
}

export class FakeUsb extends EventTarget {
  readonly requestCalls: USBDeviceRequestOptions[] = [];
  devices: FakeUsbDevice[] = [];
  next: FakeUsbDevice | 'NotFoundError' = 'NotFoundError';

  async requestDevice(options: USBDeviceRequestOptions): Promise<USBDevice> {
    this.requestCalls.push(options);
    if (this.next === 'NotFoundError') throw new DOMException('No device selected.', 'NotFoundError');
    if (!this.devices.includes(this.next)) this.devices.push(this.next);
    return this.next as unknown as USBDevice;
  }
  async getDevices(): Promise<USBDevice[]> {
    return this.devices as unknown as USBDevice[];
  }
  /** navigator.usb fires 'disconnect' with a USBConnectionEvent naming the device. */
  fireDisconnect(device: FakeUsbDevice): void {
    this.dispatchEvent(Object.assign(new Event('disconnect'), { device }));
  }
}

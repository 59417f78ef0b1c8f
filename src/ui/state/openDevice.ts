/**
 * Build the transport and StimulatorClient for a connection choice. The simulated board runs in a
 * worker (its watchdog must keep real time when the page hangs) and is reached through the same
 * SerialPortTransport as a real Web Serial port. Heartbeats are ticked by a worker metronome.
 */
import { StimulatorClient } from '../../lib/device/StimulatorClient.ts';
import type { StimulatorDevice } from '../../lib/device/types.ts';
import { WebSerialTransport } from '../../lib/transport/WebSerialTransport.ts';
import { WebUsbTransport } from '../../lib/transport/WebUsbTransport.ts';
import { createTransport } from '../../lib/transport/transportFactory.ts';
import { TransportError, type PortIdentity, type Transport, type TransportKind } from '../../lib/transport/Transport.ts';
import { startWorkerBoard, type WorkerSerialPort } from '../../lib/transport/worker-board/WorkerSerialPort.ts';
import { WorkerTicker } from '../heartbeat/WorkerTicker.ts';

export interface OpenedDevice {
  device: StimulatorDevice;
  transport: Transport;
  simulatedPort: WorkerSerialPort | null;
  /** Stop output, close the link and end the workers. */
  close(): Promise<void>;
}

async function transportFor(kind: TransportKind, sameAs: PortIdentity | undefined): Promise<{ transport: Transport; simulatedPort: WorkerSerialPort | null }> {
  if (kind === 'simulated') {
    const port = await startWorkerBoard();
    return { transport: await createTransport({ kind: 'simulated', board: { port, serialNumber: port.serialNumber } }), simulatedPort: port };
  }
  if (sameAs && kind === 'web-serial' && navigator.serial) {
    const found = await WebSerialTransport.findSamePort(navigator.serial, sameAs);
    if (found.found) return { transport: found.transport, simulatedPort: null };
  }
  if (sameAs && kind === 'webusb' && navigator.usb) {
    const found = await WebUsbTransport.findSamePort(navigator.usb, sameAs);
    if (found.found) return { transport: found.transport, simulatedPort: null };
  }
  // Not granted before (or ambiguous): let the user pick in the browser's chooser.
  return { transport: await createTransport({ kind } as Parameters<typeof createTransport>[0]), simulatedPort: null };
}

export async function openDevice(kind: TransportKind, sameAs?: PortIdentity): Promise<OpenedDevice> {
  const { transport, simulatedPort } = await transportFor(kind, sameAs);
  const ticker = new WorkerTicker();
  const device = new StimulatorClient(transport, { heartbeatDriver: ticker });
  return {
    device,
    transport,
    simulatedPort,
    async close() {
      try {
        await device.disconnect();
      } catch (e) {
        if (!(e instanceof TransportError)) console.warn('StimBench: disconnect failed', e);
      }
      ticker.stop();
      simulatedPort?.terminate();
    },
  };
}

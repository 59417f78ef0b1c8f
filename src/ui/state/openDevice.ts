/**
 * Build the transport and StimulatorClient for a connection choice. The simulated board runs in a
 * worker (its watchdog must keep real time when the page hangs) and is reached through the same
 * SerialPortTransport as a real Web Serial port. Heartbeats are ticked by a worker metronome.
 *
 * The simulated board stays powered for the life of the page, as a real board stays plugged in:
 * Disconnect closes its port, and the next Connect opens the same board again (its latched faults and
 * all). What reached its electrodes can therefore still be read after a disconnect.
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
  /** Stop output (ramped STOP, ESTOP if the ramp does not finish), close the link, end the heartbeat worker. */
  close(): Promise<void>;
}

let simulatedBoard: Promise<WorkerSerialPort> | null = null;

/** The page's one simulated board, started on first use. */
function simulatedBoardPort(): Promise<WorkerSerialPort> {
  const starting = (simulatedBoard ??= startWorkerBoard());
  starting.catch(() => {
    if (simulatedBoard === starting) simulatedBoard = null; // let the next Connect try again
  });
  return starting;
}

/** A closed transport to the chosen board (the simulated one, the same port as before, or the browser's chooser). */
export async function openTransport(kind: TransportKind, sameAs: PortIdentity | undefined): Promise<{ transport: Transport; simulatedPort: WorkerSerialPort | null }> {
  if (kind === 'simulated') {
    const port = await simulatedBoardPort();
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
  const { transport, simulatedPort } = await openTransport(kind, sameAs);
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
    },
  };
}

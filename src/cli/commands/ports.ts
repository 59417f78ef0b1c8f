/**
 * `stimbench ports`: the serial ports the system has (serialport's list), with USB ids, serial number and
 * manufacturer; `--probe` opens each one, sends HELLO and shows which answer as StimBench boards, with
 * their firmware and protocol version. A probe sends only HELLO (never anything that stimulates).
 */
import { Command, Option } from 'commander';
import { SerialPort } from 'serialport';
import { BoardLink } from '../../lib/conformance/BoardLink.ts';
import { NodeSerialPortTransport } from '../../lib/transport/NodeSerialPortTransport.ts';
import { EXIT, EXIT_CODES_HELP } from '../exitCodes.ts';
import { createOutput } from '../output.ts';
import { positiveInteger } from '../parse.ts';

interface PortsOptions {
  probe?: boolean;
  probeTimeout: number;
  json?: boolean;
}

export interface ProbeResult {
  board: boolean;
  serialNumber?: string;
  firmware?: string;
  protocolVersion?: number;
  /** Why it is not (or could not be checked to be) a StimBench board. */
  note?: string;
}

const hex4 = (id: string | undefined) => (id ? id.toLowerCase().padStart(4, '0') : null);

export function portsCommand(): Command {
  return new Command('ports')
    .description('List serial ports; with --probe, find which are StimBench boards.')
    .addOption(new Option('--probe', 'open each port and send HELLO (nothing that stimulates)'))
    .addOption(new Option('--probe-timeout <ms>', 'how long to wait for an answer, ms (a board that resets when its port opens needs ~2000)').default(1500).argParser(positiveInteger))
    .addOption(new Option('--json', 'JSON lines on stdout (the default when stdout is not a terminal)'))
    .addHelpText(
      'after',
      `
Examples:
  npx stimbench ports
  npx stimbench ports --probe
  npx stimbench ports --probe --json
${EXIT_CODES_HELP}
`,
    )
    .action(async (options: PortsOptions) => {
      const out = createOutput(options);
      const ports = await SerialPort.list();
      if (ports.length === 0) out.text('No serial ports found.');
      for (const port of ports) {
        const probe = options.probe ? await probePort(port.path, options.probeTimeout) : null;
        const fields = {
          path: port.path,
          usbVendorId: hex4(port.vendorId),
          usbProductId: hex4(port.productId),
          serialNumber: port.serialNumber ?? null,
          manufacturer: port.manufacturer ?? null,
          ...(probe ? { probe } : {}),
        };
        const usb = fields.usbVendorId ? `USB ${fields.usbVendorId}:${fields.usbProductId}` : 'not USB';
        const found = probe ? (probe.board ? `  StimBench board ${probe.serialNumber}, firmware ${probe.firmware}, protocol ${probe.protocolVersion}` : `  not a StimBench board (${probe.note})`) : '';
        out.event('port', fields, `${port.path.padEnd(16)} ${usb}${fields.serialNumber ? `, serial ${fields.serialNumber}` : ''}${fields.manufacturer ? `, ${fields.manufacturer}` : ''}${found}`);
      }
      process.exitCode = EXIT.ok;
    });
}

/** Open `path`, send HELLO, wait for INFO. Never throws: a port that cannot be opened says why. */
export async function probePort(path: string, timeoutMs: number): Promise<ProbeResult> {
  const transport = new NodeSerialPortTransport(path);
  try {
    await transport.open();
  } catch (error) {
    return { board: false, note: `could not open: ${(error as Error).message}` };
  }
  const link = new BoardLink(transport, { now: () => performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }, timeoutMs);
  try {
    link.start();
    // 0x00 ends any half-received frame at the board first.
    await link.write(Uint8Array.of(0), false);
    const { reply } = await link.exchange({ type: 'hello', minVersion: 1, maxVersion: 1 });
    if (reply?.type === 'info') {
      return { board: true, serialNumber: reply.serialNumber, firmware: `${reply.firmwareMajor}.${reply.firmwareMinor}.${reply.firmwarePatch}`, protocolVersion: reply.protocolVersion };
    }
    return { board: false, note: reply ? `answered ${reply.type}, not INFO` : `no answer to HELLO within ${timeoutMs} ms` };
  } catch (error) {
    return { board: false, note: (error as Error).message };
  } finally {
    await link.stop().catch(() => {});
    await transport.close();
  }
}

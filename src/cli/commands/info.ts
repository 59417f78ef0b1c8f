/**
 * `stimbench info`: connect through the StimulatorClient (handshake), print what the board declares —
 * identity, caps, watchdog period, telemetry rate — the limits it enforces in each mode (its caps within
 * the protocol's mode table) and its present status, then disconnect. Nothing is stimulated.
 */
import { Command, Option } from 'commander';
import { MODES, effectiveLimits, type EffectiveLimits, type StatusMessage } from '../../../firmware-protocol/src/index.ts';
import { StimulatorClient } from '../../lib/device/StimulatorClient.ts';
import { CliError, EXIT, EXIT_CODES_HELP } from '../exitCodes.ts';
import { startClockPump } from '../link/clockPump.ts';
import { boardOptions, openBoard, type BoardOptions } from '../link/openBoard.ts';
import { createOutput } from '../output.ts';

interface InfoOptions extends BoardOptions {
  json?: boolean;
}

export function infoCommand(): Command {
  const command = new Command('info').description('Connect to a board and show what it is, what it can do and the limits it enforces (nothing is stimulated).');
  for (const option of boardOptions()) command.addOption(option);
  return command
    .addOption(new Option('--json', 'one JSON object on stdout (the default when stdout is not a terminal)'))
    .addHelpText(
      'after',
      `
Examples:
  npx stimbench info --port /dev/ttyACM0
  npx stimbench info --port socket://127.0.0.1:7354 --json
  npx stimbench info --simulated
${EXIT_CODES_HELP}
`,
    )
    .action(async (options: InfoOptions) => {
      process.exitCode = await runInfo(options);
    });
}

const hz = (deciHz: number) => `${deciHz / 10} Hz`;
const ma = (ua: number) => `${ua / 1000} mA`;
const minutes = (ms: number) => `${Math.round((ms / 60_000) * 10) / 10} min`;

function modeLine(limits: EffectiveLimits): string {
  return `  ${limits.mode.padEnd(18)} ${hz(limits.frequencyDeciHz.min.value)}–${hz(limits.frequencyDeciHz.max.value)}, ${limits.pulseWidthUs.min.value}–${limits.pulseWidthUs.max.value} µs, up to ${ma(limits.amplitudeUa.max.value)}, sessions up to ${minutes(limits.durationMs.max.value)}, rise ≤ ${ma(limits.slewUaPerS.value)}/s`;
}

async function runInfo(options: InfoOptions): Promise<number> {
  const out = createOutput(options);
  const board = await openBoard(options);
  const pump = board.virtualClock ? startClockPump(board.virtualClock, 'max') : null;
  const client = new StimulatorClient(board.transport, { clock: board.clock });
  try {
    try {
      await client.connect();
    } catch (error) {
      throw new CliError(EXIT.linkLost, `could not connect to the ${board.description}: ${(error as Error).message}`);
    }
    const info = client.info!;
    const status: StatusMessage = await client.getStatus();
    const modes = MODES.map((mode) => effectiveLimits(mode, client.validationContext));
    const caps = info.caps;
    const firmware = `${info.firmwareMajor}.${info.firmwareMinor}.${info.firmwarePatch}`;
    if (out.json) {
      out.event('info', { board: board.description, serialNumber: info.serialNumber, firmware, protocolVersion: info.protocolVersion, watchdogMs: info.watchdogMs, telemetryRateHz: info.telemetryRateHz, caps, modes, status: { fault: status.fault, channels: status.channels } }, null);
    } else {
      out.text(`Board:      ${info.serialNumber} (${board.description})`);
      out.text(`Firmware:   ${firmware}, protocol version ${info.protocolVersion}`);
      out.text(`Watchdog:   ${info.watchdogMs} ms (output stops after this long without a valid frame)`);
      out.text(`Telemetry:  ${info.telemetryRateHz === 0 ? 'off' : `${info.telemetryRateHz} samples/s per channel`}`);
      out.text(`Channels:   ${caps.channelCount}`);
      out.text(`Caps:       up to ${ma(caps.maxAmplitudeUa)}, pulses up to ${caps.maxPulseWidthUs} µs, ${hz(caps.minFrequencyDeciHz)}–${hz(caps.maxFrequencyDeciHz)}, rise ≤ ${ma(caps.maxSlewUaPerS)}/s, compliance ${caps.complianceMv / 1000} V`);
      out.text('Limits the board enforces, by mode (its caps within the protocol mode table):');
      for (const limits of modes) out.text(modeLine(limits));
      out.text(`Status:     ${status.fault ? `fault latched: ${status.fault}` : 'no fault'}; ${status.channels.map((c) => `channel ${c.channel + 1} ${c.state} at ${ma(c.amplitudeUa)}`).join(', ')}`);
    }
    return EXIT.ok;
  } finally {
    await client.disconnect().catch(() => {});
    await pump?.stop();
    await board.close();
  }
}

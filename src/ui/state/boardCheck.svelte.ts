/**
 * Board check in the app: the conformance suite over the same transports the app uses, against the
 * board on the Connect screen's choice. The suite needs the board to itself, so a connected board is
 * disconnected first (its output ramped down, as any disconnect does). The suite stimulates at 1–3 mA, so:
 * it refuses to start until the operator confirms a dummy load, not a person, is connected; and the app's
 * ESTOP (STOP button, Space, Escape, leaving the page) stops it through `estop()`.
 *
 * On the simulated board a defective simulated firmware can be chosen, to see the check fail; the board is
 * flashed back to its shipped firmware when the check ends.
 */
// Types only: the suite itself (a large module) loads when a check first runs, keeping the app's start fast.
import type { CheckResult, ConformanceReport, ConformanceTimer, ReportContext } from '../../lib/conformance/index.ts';

type Suite = typeof import('../../lib/conformance/index.ts');
const loadSuite = (): Promise<Suite> => import('../../lib/conformance/index.ts');
import type { Transport, TransportKind } from '../../lib/transport/Transport.ts';
import type { WorkerSerialPort } from '../../lib/transport/worker-board/WorkerSerialPort.ts';
import type { SimulatedFirmware } from '../../lib/transport/worker-board/simulatedFirmware.ts';
import { errorText } from '../format.ts';
import { APP_BUILD, APP_VERSION } from '../appVersion.ts';
import type { BoardConnectionState } from './connection.svelte.ts';
import { openTransport } from './openDevice.ts';

export type BoardCheckPhase = 'idle' | 'disconnecting' | 'flashing' | 'running' | 'done';

export interface BoardCheckDeps {
  openTransport: (kind: TransportKind, sameAs?: Parameters<typeof openTransport>[1]) => Promise<{ transport: Transport; simulatedPort: WorkerSerialPort | null }>;
  timer: ConformanceTimer;
  now: () => number;
  software: string;
}

const realTimer: ConformanceTimer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const defaultDeps: BoardCheckDeps = { openTransport, timer: realTimer, now: () => Date.now(), software: `StimBench ${APP_VERSION} (build ${APP_BUILD}), in the browser` };

const CONNECTION_WORDS: Record<TransportKind, string> = {
  simulated: 'Simulated board (in this browser)',
  'web-serial': 'USB serial port (Web Serial)',
  webusb: 'USB device (WebUSB)',
  'node-serial': 'Serial port',
};

export class BoardCheckState {
  #phase = $state<BoardCheckPhase>('idle');
  #current = $state<{ index: number; total: number; title: string } | null>(null);
  #results = $state<CheckResult[]>([]);
  #report = $state.raw<ConformanceReport | null>(null);
  #context = $state.raw<ReportContext | null>(null);
  #error = $state<string | null>(null);
  #stopped = $state(false);
  /** The operator's confirmation that a dummy load (a resistor), not a person, is on every channel. */
  dummyLoadConfirmed = $state(false);
  /** The simulated firmware to check (simulated board only). */
  simulatedFirmware = $state<SimulatedFirmware>('shipped');
  readonly #connection: BoardConnectionState;
  readonly #deps: BoardCheckDeps;
  #abort: AbortController | null = null;
  #suite: Suite | null = null;

  constructor(connection: BoardConnectionState, deps: Partial<BoardCheckDeps> = {}) {
    this.#connection = connection;
    this.#deps = { ...defaultDeps, ...deps };
    connection.addEstopTarget(() => this.estop());
  }

  get phase(): BoardCheckPhase {
    return this.#phase;
  }
  /** True from the moment the check starts until its link is closed: output may be on (dummy load). */
  get running(): boolean {
    return this.#phase === 'disconnecting' || this.#phase === 'flashing' || this.#phase === 'running';
  }
  get current(): { index: number; total: number; title: string } | null {
    return this.#current;
  }
  get results(): CheckResult[] {
    return this.#results;
  }
  get report(): ConformanceReport | null {
    return this.#report;
  }
  get error(): string | null {
    return this.#error;
  }
  /** The run was ended by the user's ESTOP. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** ESTOP to the board under check (the app's stop paths call this along with the connection's). */
  estop(): void {
    this.#abort?.abort();
  }

  async run(kind: TransportKind): Promise<void> {
    if (this.running) return;
    this.#error = null;
    if (!this.dummyLoadConfirmed) {
      this.#error = 'Confirm that a dummy load (a resistor), not a person, is connected to every channel before the check: it stimulates at 1–3 mA.';
      return;
    }
    this.#results = [];
    this.#report = null;
    this.#current = null;
    this.#stopped = false;
    const abort = (this.#abort = new AbortController());
    let transport: Transport | null = null;
    let flashed: WorkerSerialPort | null = null;
    try {
      if (this.#connection.device) {
        this.#phase = 'disconnecting';
        await this.#connection.disconnect();
      }
      const opened = await this.#deps.openTransport(kind, this.#connection.lastBoard ?? undefined);
      transport = opened.transport;
      const port = opened.simulatedPort;
      // Test hook for the SIMULATED board only (its output during the check), as the connection sets it.
      if (port) (globalThis as { __stimbenchSim?: WorkerSerialPort | null }).__stimbenchSim = port;
      if (port && this.simulatedFirmware !== port.firmware) {
        this.#phase = 'flashing';
        await port.flash(this.simulatedFirmware);
        flashed = port;
      }
      if (abort.signal.aborted) {
        this.#stopped = true;
        return;
      }
      this.#phase = 'running';
      this.#connection.announce('Board check running: the board drives 1–3 mA into the dummy load. STOP ends the check at once.');
      const context: ReportContext = {
        startedWallMs: this.#deps.now(),
        connection: port ? `${CONNECTION_WORDS.simulated}, firmware: ${port.firmware}` : CONNECTION_WORDS[kind],
        dummyLoadConfirmed: true,
        software: this.#deps.software,
      };
      this.#context = context;
      const suite = (this.#suite ??= await loadSuite());
      const report = await suite.runConformance(transport, { timer: this.#deps.timer, timeBase: 'real', signal: abort.signal }, (event) => {
        if (event.kind === 'check-start') this.#current = { index: event.index, total: event.total, title: event.title };
        else this.#results = [...this.#results, event.result];
      });
      this.#report = report;
      this.#stopped = abort.signal.aborted;
      this.#connection.announce(this.#stopped ? 'Board check stopped: ESTOP sent, every channel at 0 mA.' : null);
    } catch (e) {
      this.#error = `Board check could not run: ${errorText(e)}`;
      this.#connection.announce(null);
    } finally {
      this.#abort = null;
      this.#current = null;
      if (transport?.isOpen) await transport.close().catch(() => {});
      // The defective image lives only for the check: the demo board goes back to conforming firmware.
      if (flashed) await flashed.flash('shipped').catch(() => {});
      this.#phase = this.#report || this.#error || this.#stopped ? 'done' : 'idle';
    }
  }

  /** The report as a JSON file's text (every figure) — null before a run finishes. */
  jsonFile(): { name: string; text: string } | null {
    if (!this.#report || !this.#context || !this.#suite) return null;
    const { reportFile, reportFileName } = this.#suite;
    return { name: reportFileName(this.#context, 'json'), text: `${JSON.stringify(reportFile(this.#report, this.#context), null, 2)}\n` };
  }

  /** The report as a printable HTML page — null before a run finishes. */
  htmlFile(): { name: string; text: string } | null {
    if (!this.#report || !this.#context || !this.#suite) return null;
    const { reportFileName, reportHtml } = this.#suite;
    return { name: reportFileName(this.#context, 'html'), text: reportHtml(this.#report, this.#context) };
  }
}

/**
 * The board's reports turned into the client's state: STATUS (channel states, a latched fault, a board
 * that lost its HELLO), FAULT, TELEMETRY (the load it shows) and replies for the request pipe. Faults are
 * latched on the current connection; the connection state is always reconciled to what the facts say.
 */
import { ALL_CHANNELS, type FaultMessage, type Message, type StatusMessage } from '../../../firmware-protocol/src/index.ts';
import type { Clock } from '../clock.ts';
import type { ChannelBook } from './ChannelBook.ts';
import { loadFromTelemetryOhm } from './compliance.ts';
import type { Connection } from './Connection.ts';
import type { ConnectionStateMachine } from './ConnectionStateMachine.ts';
import type { Emitter } from './Emitter.ts';
import type { RequestPipe } from './RequestPipe.ts';
import type { DeviceEvents, DeviceFault } from './types.ts';

export interface BoardReportsParts {
  /** The client's current connection (read on every use: a new connect() replaces it). */
  connection: () => Connection;
  clock: Clock;
  channels: ChannelBook;
  events: Emitter<DeviceEvents>;
  pipe: RequestPipe;
  machine: ConnectionStateMachine;
  /** Send ESTOP (a reset or faulted board is stopped at once). */
  estop: () => Promise<void>;
}

export class BoardReports {
  readonly #parts: BoardReportsParts;

  constructor(parts: BoardReportsParts) {
    this.#parts = parts;
  }

  /** A frame from the board: replies go to the request pipe, reports change the client's state. */
  message(message: Message): void {
    this.#parts.connection().lastRxMs = this.#parts.clock.now();
    this.#parts.connection().silentReported = false;
    switch (message.type) {
      case 'telemetry': {
        const loadOhm = loadFromTelemetryOhm(message);
        if (loadOhm !== null) this.#parts.channels.setLoad(message.channel, loadOhm);
        this.#parts.events.emit('telemetry', message);
        return;
      }
      case 'status':
        this.status(message);
        this.#parts.events.emit('status', message);
        if (message.replyTo !== 0) this.#parts.pipe.reply(message);
        return;
      case 'fault':
        this.#boardFault(message);
        return;
      case 'ack':
      case 'nack':
      case 'info':
      case 'impedance':
        this.#parts.pipe.reply(message);
        return;
      default:
        return; // host → board types have no business arriving here
    }
  }

  /** A STATUS (report or reply): channel states, a latched board fault, a board that lost its HELLO. */
  status(status: StatusMessage): void {
    this.#parts.channels.applyStatus(status.channels);
    if (status.fault !== null && status.fault !== this.#parts.connection().reportedBoardFault) {
      this.#parts.connection().reportedBoardFault = status.fault;
      this.raiseFault({ source: 'board', code: status.fault, channel: null, message: `the board reports latched fault "${status.fault}"` });
    }
    if (!status.helloDone && this.#parts.connection().handshakeDone) this.boardReset('STATUS says no HELLO since its last reset');
    this.reconcile();
  }

  #boardFault(fault: FaultMessage): void {
    this.#parts.connection().reportedBoardFault = fault.code;
    const channel = fault.channel === ALL_CHANNELS ? null : fault.channel;
    this.raiseFault({
      source: 'board',
      code: fault.code,
      channel,
      // Users read this message (STOP bar, records): channels are numbered from 1 there, as on every screen.
      message: `board fault "${fault.code}"${channel === null ? '' : ` on channel ${channel + 1}`} (detail ${fault.detail})`,
      board: fault,
    });
    if (fault.code === 'reset') this.boardReset('the board sent FAULT reset');
  }

  /** The board lost its state (brown-out, firmware restart): it needs HELLO and holds no programs. Never resumed. */
  boardReset(reason: string): void {
    if (this.#parts.connection().needsHello) return;
    this.#parts.connection().needsHello = true;
    this.#parts.channels.forgetPrograms();
    this.#parts.channels.allIdle();
    this.raiseFault({ source: 'client', code: 'board-reset', channel: null, message: `board reset (${reason}): programs lost, nothing resumes until clearFault()` });
    void this.#parts.estop().catch(() => {});
  }

  /** Latch `fault` on the current connection and tell the listeners; the state goes to faulted. */
  raiseFault(fault: DeviceFault): void {
    this.#parts.connection().fault = fault;
    this.#parts.events.emit('fault', fault);
    this.#parts.machine.send('fault');
  }

  /** Drive the state machine to what the facts say: faulted > stimulating > ready. */
  reconcile(): void {
    const state = this.#parts.machine.state;
    if (state === 'disconnected' || state === 'connecting' || state === 'lost') return;
    if (this.#parts.connection().fault) {
      this.#parts.machine.send('fault');
      return;
    }
    if (state === 'faulted') this.#parts.machine.send('fault-cleared');
    const active = this.#parts.channels.anyActive();
    this.#parts.machine.send(active ? 'channels-active' : 'channels-idle');
    if (!active) this.#parts.connection().resolveIdleWaiters();
  }
}

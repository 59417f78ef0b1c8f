/**
 * The connection state machine (types.ts: ConnectionState), as an explicit transition table. An event
 * with no entry for the present state changes nothing (e.g. 'channels-active' while faulted stays
 * faulted: a fault is only left through clearFault()). 'lost' is left only by a new connect().
 */
import type { ConnectionState } from './types.ts';

export type StateEvent =
  | 'connect' // connect() called
  | 'handshake-ok' // HELLO → INFO and the first STATUS done
  | 'handshake-failed' // open or handshake failed; transport closed
  | 'channels-active' // a channel is not idle (STATUS, START ACK)
  | 'channels-idle' // every channel idle
  | 'fault' // board FAULT/STATUS fault, or a client-detected fault
  | 'fault-cleared' // clearFault() succeeded
  | 'link-lost' // transport disconnect or read-loop failure
  | 'closed'; // disconnect() finished

export const TRANSITIONS: Readonly<Record<ConnectionState, Readonly<Partial<Record<StateEvent, ConnectionState>>>>> = {
  disconnected: { connect: 'connecting' },
  connecting: { 'handshake-ok': 'ready', 'handshake-failed': 'disconnected', 'link-lost': 'lost', closed: 'disconnected' },
  ready: { 'channels-active': 'stimulating', fault: 'faulted', 'link-lost': 'lost', closed: 'disconnected' },
  stimulating: { 'channels-idle': 'ready', fault: 'faulted', 'link-lost': 'lost', closed: 'disconnected' },
  faulted: { 'fault-cleared': 'ready', 'link-lost': 'lost', closed: 'disconnected' },
  lost: { connect: 'connecting', closed: 'disconnected' },
};

export class ConnectionStateMachine {
  #state: ConnectionState = 'disconnected';
  readonly #onChange: (state: ConnectionState, previous: ConnectionState) => void;

  constructor(onChange: (state: ConnectionState, previous: ConnectionState) => void = () => {}) {
    this.#onChange = onChange;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Apply an event; returns whether the state changed. */
  send(event: StateEvent): boolean {
    const next = TRANSITIONS[this.#state][event];
    if (next === undefined || next === this.#state) return false;
    const previous = this.#state;
    this.#state = next;
    this.#onChange(next, previous);
    return true;
  }

  /** Whether `event` would be accepted now (without applying it). */
  accepts(event: StateEvent): boolean {
    return TRANSITIONS[this.#state][event] !== undefined;
  }
}

import { describe, expect, it } from 'vitest';
import { ConnectionStateMachine, TRANSITIONS, type StateEvent } from '../../src/lib/device/ConnectionStateMachine.ts';
import type { ConnectionState } from '../../src/lib/device/types.ts';

const STATES: ConnectionState[] = ['disconnected', 'connecting', 'ready', 'stimulating', 'faulted', 'lost'];
const EVENTS: StateEvent[] = ['connect', 'handshake-ok', 'handshake-failed', 'channels-active', 'channels-idle', 'fault', 'fault-cleared', 'link-lost', 'closed'];

function machineIn(state: ConnectionState): ConnectionStateMachine {
  const paths: Record<ConnectionState, StateEvent[]> = {
    disconnected: [],
    connecting: ['connect'],
    ready: ['connect', 'handshake-ok'],
    stimulating: ['connect', 'handshake-ok', 'channels-active'],
    faulted: ['connect', 'handshake-ok', 'fault'],
    lost: ['connect', 'link-lost'],
  };
  const m = new ConnectionStateMachine();
  for (const e of paths[state]) m.send(e);
  expect(m.state).toBe(state);
  return m;
}

describe('ConnectionStateMachine', () => {
  it('follows the transition table for every (state, event) pair, and ignores events with no entry', () => {
    for (const state of STATES) {
      for (const event of EVENTS) {
        const m = machineIn(state);
        const changed = m.send(event);
        const expected = TRANSITIONS[state][event] ?? state;
        expect(m.state, `${state} --${event}-->`).toBe(expected);
        expect(changed).toBe(expected !== state);
      }
    }
  });

  it('leaves "lost" only through a new connect (or an explicit close), never back to ready or stimulating', () => {
    for (const event of EVENTS) {
      const m = machineIn('lost');
      m.send(event);
      expect(['lost', 'connecting', 'disconnected']).toContain(m.state);
    }
  });

  it('stays faulted when channels report activity: only fault-cleared leaves it for ready', () => {
    const m = machineIn('faulted');
    m.send('channels-active');
    expect(m.state).toBe('faulted');
    m.send('fault-cleared');
    expect(m.state).toBe('ready');
  });

  it('any open state goes to lost on link-lost', () => {
    for (const s of ['connecting', 'ready', 'stimulating', 'faulted'] as const) {
      const m = machineIn(s);
      m.send('link-lost');
      expect(m.state).toBe('lost');
    }
  });

  it('calls the listener with (state, previous) on each change only', () => {
    const seen: [ConnectionState, ConnectionState][] = [];
    const m = new ConnectionStateMachine((s, p) => seen.push([s, p]));
    m.send('connect');
    m.send('handshake-ok');
    m.send('handshake-ok'); // no entry in ready: ignored
    m.send('channels-active');
    m.send('fault');
    expect(seen).toEqual([
      ['connecting', 'disconnected'],
      ['ready', 'connecting'],
      ['stimulating', 'ready'],
      ['faulted', 'stimulating'],
    ]);
  });
});

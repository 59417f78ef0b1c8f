/** An outcome is said once: "Completed", not "Completed" then "completed". */
import { describe, expect, test } from 'vitest';
import { describeEvent } from '../../src/ui/components/history/describeEvent.ts';
import { outcomeDetail } from '../../src/ui/components/history/outcomeText.ts';
import type { RecordEvent } from '../../src/lib/session/recordTypes.ts';

describe('outcome words are not doubled', () => {
  test('a message that only repeats the outcome adds nothing', () => {
    expect(outcomeDetail('completed', 'completed')).toBeNull();
    expect(outcomeDetail('estopped', 'ESTOP')).toBeNull();
    expect(outcomeDetail('completed', null)).toBeNull();
  });
  test('a message that starts with the outcome keeps only the rest', () => {
    expect(outcomeDetail('completed', 'completed: 4000 ms were left, too short to ramp up and down again')).toBe('4000 ms were left, too short to ramp up and down again');
  });
  test('any other message is kept whole', () => {
    expect(outcomeDetail('stopped', 'stopped while paused')).toBe('stopped while paused');
    expect(outcomeDetail('fault', 'board fault "electrodeOff" on channel 1')).toBe('board fault "electrodeOff" on channel 1');
  });
  test('the timeline says "Completed" once for a completed session', () => {
    const event = { kind: 'outcome', outcome: 'completed', stopReason: null, message: 'completed', seq: 9, monoMs: 0, wallMs: 0 } as unknown as RecordEvent;
    expect(describeEvent(event)).toBe('Completed');
  });
});

describe('a stop reason is not said twice', () => {
  test('"Stopped (stopped by the user)" needs no second "stopped by the user"', () => {
    expect(outcomeDetail('stopped', 'stopped by the user', 'user')).toBeNull();
    expect(outcomeDetail('stopped', 'stopped while paused', 'user')).toBe('stopped while paused');
    const event = { kind: 'outcome', outcome: 'stopped', stopReason: 'user', message: 'stopped by the user', seq: 9, monoMs: 0, wallMs: 0 } as unknown as RecordEvent;
    expect(describeEvent(event)).toBe('Stopped (stopped by the user)');
  });
});

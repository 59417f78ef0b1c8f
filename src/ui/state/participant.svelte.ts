/**
 * The participant being stimulated on this bench now: a pseudonymous code (participant.ts) that every
 * new session record carries and that the daily cap is counted for. Default "self". Kept in
 * localStorage so a reload keeps the same person; storage is injected for tests.
 */
import { DEFAULT_PARTICIPANT, parseParticipantCode } from '../../lib/session/participant.ts';

const KEY = 'stimbench.participant.v1';

function load(storage: Pick<Storage, 'getItem'> | null): string {
  try {
    return parseParticipantCode(storage?.getItem(KEY) ?? DEFAULT_PARTICIPANT);
  } catch {
    // A corrupt or hand-edited entry falls back to the default rather than blocking the app.
    return DEFAULT_PARTICIPANT;
  }
}

export class ParticipantState {
  #code = $state(DEFAULT_PARTICIPANT);
  readonly #storage: Pick<Storage, 'getItem' | 'setItem'> | null;

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'> | null = globalThis.localStorage ?? null) {
    this.#storage = storage;
    this.#code = load(storage);
  }

  get code(): string {
    return this.#code;
  }

  /** Set the code. Throws ParticipantCodeError (nothing changes) when it is not a short pseudonym. */
  set(raw: string): string {
    const code = parseParticipantCode(raw);
    this.#code = code;
    this.#storage?.setItem(KEY, code);
    return code;
  }
}

/**
 * What the enrolment store needs from a database: one table of enrolments keyed by id. The session layer
 * owns this interface; the IndexedDB database (storage/openStimbenchDb.ts) satisfies it as it is.
 */
import type { Enrolment } from './Enrolment.ts';

export interface EnrolmentDb {
  add(store: 'enrolments', value: Enrolment): Promise<unknown>;
  put(store: 'enrolments', value: Enrolment): Promise<unknown>;
  get(store: 'enrolments', id: string): Promise<Enrolment | undefined>;
  getAll(store: 'enrolments'): Promise<Enrolment[]>;
}

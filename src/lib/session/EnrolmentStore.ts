/** The user's programme enrolments, in any database that has an enrolments table (IndexedDB in the app). */
import type { Enrolment } from './Enrolment.ts';
import type { EnrolmentDb } from './enrolmentPort.ts';

export class EnrolmentStore {
  readonly db: EnrolmentDb;
  readonly newId: () => string;
  constructor(
    db: EnrolmentDb,
    newId: () => string = () => crypto.randomUUID(),
  ) {
    this.db = db;
    this.newId = newId;
  }

  /** Night sessions stay off unless `options.nightSessions` is true (stimulation during sleep is opt-in). */
  async enrol(programmeId: string, channel: number, startedWallMs: number, options: { nightSessions?: boolean } = {}): Promise<Enrolment> {
    const enrolment: Enrolment = { id: this.newId(), programmeId, channel, startedWallMs, endedWallMs: null, nightSessions: options.nightSessions === true };
    await this.db.add('enrolments', enrolment);
    return enrolment;
  }

  async list(): Promise<Enrolment[]> {
    return this.db.getAll('enrolments');
  }

  async get(id: string): Promise<Enrolment | undefined> {
    return this.db.get('enrolments', id);
  }

  /** Stop following the programme: no occurrence after `endedWallMs` is due. */
  async end(id: string, endedWallMs: number): Promise<Enrolment> {
    const enrolment = await this.db.get('enrolments', id);
    if (!enrolment) throw new RangeError(`no enrolment ${id}`);
    const ended = { ...enrolment, endedWallMs };
    await this.db.put('enrolments', ended);
    return ended;
  }
}

/** One conformance check: an id for CLIs and reports, a plain title, and the run that judges the board. */
import type { CheckContext } from '../context.ts';

export interface Verdict {
  pass: boolean;
  measured: string;
  detail: string;
  skipped?: boolean;
}

export interface Check {
  id: string;
  title: string;
  run(ctx: CheckContext): Promise<Verdict>;
}

/** Collects failed expectations so one check can report every problem it found, not only the first. */
export class Findings {
  readonly problems: string[] = [];
  expect(ok: boolean, problem: string): boolean {
    if (!ok) this.problems.push(problem);
    return ok;
  }
  verdict(measured: string, passDetail: string): Verdict {
    const pass = this.problems.length === 0;
    return { pass, measured, detail: pass ? passDetail : this.problems.join('; ') };
  }
}

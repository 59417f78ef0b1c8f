/** axe-core in the e2e tests: the serious and critical violations on the page in view. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** One line per failing node: rule, impact, where, and axe's summary of the failure. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page } as unknown as ConstructorParameters<typeof AxeBuilder>[0]).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`));
}

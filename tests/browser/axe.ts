import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is now: its serious and critical violations, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated by the test driver, not added as a <script>: the page's CSP allows no inline or foreign script.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const r = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Violation[] }> } }
    ).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((x) => `${x.id}: ${x.help} @ ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

import { cliCases, tabularCases } from './hostileCli';
import { configCases } from './hostileConfig';
import { escapingCases } from './hostileEscaping';
import { modelCases } from './hostileModelCases';
import { runCases, type BrowserContext, type HostileCase, type HostileCaseResult } from './hostileCase';
import { zipCases } from './hostileZip';

/**
 * The counted hostile-input campaign: every case is a broken or hostile input sent through the
 * product's real path for it (a ZIP import into a store, the page's config import, a command of the
 * command line on a study folder, the embed worker's model loading, an export or report), and passes
 * when its message names the file, key, row or parameter and the reason, and nothing else changed.
 * The figure is the number of cases tried that pass.
 *
 *   const results = await runHostileCampaign();                 // Node cases; browser ones listed, not run
 *   const all = await runHostileCampaign({ browser: true });    // also the Chromium cases
 *
 * tests/unit/reliability/hostileInputs.test.ts runs the Node cases one by one;
 * tests/browser/hostileInputs.test.ts the browser ones.
 */

export type { BrowserContext, CaseOutcome, HostileCase, HostileCaseResult, HostileFamily } from './hostileCase';

/** Every case, in family order. */
export function hostileCases(): HostileCase[] {
  return [...zipCases(), ...configCases(), ...cliCases(), ...tabularCases(), ...modelCases(), ...escapingCases()];
}

export interface CampaignOptions {
  /** A Chromium page on the app (or true: start the app's server and Chromium for the browser cases). */
  browser?: BrowserContext | true;
}

/** Runs the campaign; one result per case (a browser case without a browser: `ran: false`). */
export async function runHostileCampaign(options: CampaignOptions = {}): Promise<HostileCaseResult[]> {
  if (options.browser === true) {
    const { openHostileBrowser } = await import('./hostileBrowser');
    const browser = await openHostileBrowser();
    try {
      return await runCases(hostileCases(), browser.context);
    } finally {
      await browser.close();
    }
  }
  return runCases(hostileCases(), options.browser);
}

/** The campaign's counts: tried (cases run), named, zero changes, and both (the figure). */
export function campaignCounts(results: readonly HostileCaseResult[]) {
  const tried = results.filter((r) => r.ran);
  return {
    cases: results.length,
    tried: tried.length,
    named: tried.filter((r) => r.named).length,
    unchanged: tried.filter((r) => !r.changed).length,
    passed: tried.filter((r) => r.passed).length,
  };
}

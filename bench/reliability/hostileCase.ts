import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';

/**
 * One hostile or broken input, run through the product's real path for it, and what came of it.
 *
 * - `message`: what the user was shown (the error's message, the form's error list, stderr);
 * - `named`: the message matches the case's `expect`, a pattern that names the file, key, row or
 *   parameter AND the reason (each case states its own);
 * - `changed`: whether anything else changed — a digest of the store, the study folder (every file's
 *   bytes) or the page's state before and after. For family 'escaping', the output is inspected instead:
 *   `message` is the escaped form found, and `changed` means the raw hostile text got through.
 */
export type HostileFamily = 'zip' | 'config' | 'space' | 'constraints' | 'model' | 'image' | 'csv' | 'embeddings' | 'escaping';

export interface CaseOutcome {
  message: string;
  changed: boolean;
  /** What was compared, or anything else worth reading in the report. */
  detail?: string;
}

/** What a browser case runs against: a Chromium page on the app's harness pages (see hostileBrowser.ts). */
export interface BrowserContext {
  page: Page;
  baseUrl: string;
}

export interface HostileCase {
  id: string;
  family: HostileFamily;
  description: string;
  /** The message it must give: names the file/key/row/parameter and the reason. */
  expect: RegExp;
  /** Runs only in real Chromium (a worker's time limit, IndexedDB): tests/browser/hostileInputs.test.ts. */
  browser?: boolean;
  run(context?: BrowserContext): Promise<CaseOutcome>;
}

export interface HostileCaseResult {
  id: string;
  family: HostileFamily;
  description: string;
  browser: boolean;
  /** False for a browser case when no browser was given. */
  ran: boolean;
  message: string;
  expected: string;
  named: boolean;
  changed: boolean;
  /** Named and nothing changed. */
  passed: boolean;
  detail?: string;
  /** The case itself failed to run (an unexpected exception: the input was not refused cleanly). */
  error?: string;
}

/** Runs `action`, which must fail; returns the error's message (or a note that it did not fail). */
export async function refusal(action: () => unknown): Promise<string> {
  try {
    await action();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return '(accepted: no error was raised)';
}

/** A stable SHA-256 of plain data, typed arrays, ArrayBuffers and Blobs (their bytes), maps and sets. */
export async function digest(value: unknown): Promise<string> {
  const hash = createHash('sha256');
  const feed = async (v: unknown): Promise<void> => {
    if (v === undefined) return void hash.update('u;');
    if (v === null || typeof v !== 'object') return void hash.update(`${typeof v}:${typeof v === 'number' && Number.isNaN(v) ? 'NaN' : String(v)};`);
    if (v instanceof Blob) return void hash.update('blob:').update(new Uint8Array(await v.arrayBuffer())).update(';');
    if (v instanceof ArrayBuffer) return void hash.update('ab:').update(new Uint8Array(v)).update(';');
    if (ArrayBuffer.isView(v)) return void hash.update(`${v.constructor.name}:`).update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).update(';');
    if (v instanceof Map) {
      hash.update('map{');
      for (const [k, item] of [...v.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1))) {
        hash.update(`${String(k)}=`);
        await feed(item);
      }
      return void hash.update('}');
    }
    if (Array.isArray(v) || v instanceof Set) {
      hash.update('[');
      for (const item of v) await feed(item);
      return void hash.update(']');
    }
    hash.update('{');
    for (const key of Object.keys(v).sort()) {
      hash.update(`${key}=`);
      await feed((v as Record<string, unknown>)[key]);
    }
    hash.update('}');
  };
  await feed(value);
  return hash.digest('hex');
}

/** Runs every case (browser ones only with a browser), each isolated: an exception is its own result. */
export async function runCases(cases: readonly HostileCase[], browser?: BrowserContext): Promise<HostileCaseResult[]> {
  const results: HostileCaseResult[] = [];
  for (const c of cases) {
    const base = { id: c.id, family: c.family, description: c.description, browser: c.browser === true, expected: String(c.expect) };
    if (c.browser && !browser) {
      results.push({ ...base, ran: false, message: '', named: false, changed: false, passed: false, detail: 'runs in Chromium (tests/browser/hostileInputs.test.ts)' });
      continue;
    }
    try {
      const outcome = await c.run(browser);
      const named = c.expect.test(outcome.message);
      results.push({ ...base, ran: true, message: outcome.message, named, changed: outcome.changed, passed: named && !outcome.changed, ...(outcome.detail ? { detail: outcome.detail } : {}) });
    } catch (e) {
      const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      results.push({ ...base, ran: true, message: '', named: false, changed: true, passed: false, error });
    }
  }
  return results;
}

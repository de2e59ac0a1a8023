import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAppServer } from '../../bench/lib/browser';
import { openChromium, type ChromiumSession } from '../helpers/chromium';

describe('app shell', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('serves a cross-origin-isolated page (SharedArrayBuffer for multithreaded WASM)', async () => {
    await session.page.goto(inject('baseUrl'));
    await session.page.getByRole('heading', { name: 'Latent Calibration Studio' }).waitFor();
    expect(await session.page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    expect(await session.page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  });

  it('is served with a Content-Security-Policy that keeps scripts and requests on the page\'s origin, and the page breaks none of it', async () => {
    const response = await session.page.goto(inject('baseUrl'));
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
    expect(policy).toMatch(/connect-src 'self' [^;]*https:\/\/huggingface\.co/);
    expect(policy).toMatch(/object-src 'none'/);
    await session.page.getByRole('heading', { name: 'Latent Calibration Studio' }).waitFor();
    // A script the policy does not allow is refused: the policy is in force, not only sent.
    const refused = await session.page.evaluate(async () => {
      const seen = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      return { directive: await seen, ran: (window as unknown as { __injected?: boolean }).__injected === true };
    });
    expect(refused).toEqual({ directive: expect.stringMatching(/^script-src/), ran: false });
    expect(session.cspViolations.filter((v) => !v.includes('inline script'))).toEqual([]);
  });

  it('the built app carries the policy in its index.html and its headers, and reads a table in its worker without a violation', { timeout: 180_000 }, async () => {
    const { server, baseUrl } = await startAppServer({ production: true });
    try {
      const { page } = session;
      const response = await page.goto(baseUrl);
      expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'wasm-unsafe-eval'; /);
      expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toMatch(/^default-src 'self'; script-src 'self' 'wasm-unsafe-eval';[^]*connect-src 'self' /);
      await page.locator('.kind-picker').getByText('Synthetic tables', { exact: true }).click();
      await page.getByRole('button', { name: 'Glass composition', exact: true }).click();
      await page.getByRole('table', { name: 'Columns' }).waitFor({ timeout: 60_000 });
      expect(session.cspViolations.filter((v) => !v.includes('inline script'))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

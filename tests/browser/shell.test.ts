import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
});

/* eslint-disable @typescript-eslint/no-explicit-any -- code inside page.evaluate runs in the browser */
/**
 * npm run bench:generate — void images per second in real Chromium: to RGBA pixels ready for embedding,
 * and separately with PNG encoding; 512×512 and 1024×1024 chips, 8 voids; one worker vs the pool.
 * Prints a table, writes bench/results/generate.json. Target: ≥ 100 images/s at 512×512 to pixels.
 */
import { machineInfo, printTable, writeBenchResult, type Row } from './lib/report';
import { launchBenchBrowser, startAppServer } from './lib/browser';

const CHIPS = [
  { id: 'demo_chip_1.png', side: 512, images: 400 },
  { id: 'demo_chip_5.png', side: 1024, images: 160 },
];

async function main() {
  const { server, baseUrl } = await startAppServer();
  const { browser, page, version } = await launchBenchBrowser();
  try {
    await page.goto(`${baseUrl}/tests/browser/pages/generator.html`);
    await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
    const poolSize = await page.evaluate(() => Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2)));
    const rows: Row[] = [];
    for (const chip of CHIPS) {
      for (const workers of [1, poolSize]) {
        for (const encodePng of [false, true]) {
          const images = encodePng ? Math.round(chip.images / 4) : chip.images;
          const result = await page.evaluate(
            async ({ chipId, workers, encodePng, images }) => {
              const w = window as any;
              const pool = new w.GeneratorPool(workers);
              await pool.setChips([{ id: chipId, bytes: await w.fetchBytes(`/chips/${chipId}`) }]);
              const shapes = ['circle', 'ellipse', 'irregular'];
              const jobs = (n: number, offset: number) =>
                Array.from({ length: n }, (_, i) => ({
                  sample_id: `b${i}`, iteration: 1, dataset_type: 'synthetic', param_set_id: `ps_${i % 8}`, replication_seed: offset + i, base_image_id: chipId,
                  params: { void_shape: shapes[i % 3], void_count: 8, base_size: 20, brightness_factor: 0.6, size_std: 7, position_spread: 0.5 },
                  position_rule: 'centered',
                }));
              await pool.generate(jobs(8 * workers, 10_000), { encodePng }); // warm-up: worker start, JIT
              const t0 = performance.now();
              const out = await pool.generate(jobs(images, 0), { encodePng });
              const ms = performance.now() - t0;
              pool.terminate();
              return { ms, count: out.length };
            },
            { chipId: chip.id, workers, encodePng, images },
          );
          rows.push({
            chip: `${chip.side}×${chip.side}`,
            workers,
            output: encodePng ? 'pixels + PNG' : 'pixels',
            images: result.count,
            seconds: +(result.ms / 1000).toFixed(3),
            images_per_s: +((result.count * 1000) / result.ms).toFixed(1),
            ms_per_image: +(result.ms / result.count).toFixed(2),
          });
          console.log(JSON.stringify(rows[rows.length - 1]));
        }
      }
    }
    printTable(rows, 'Void generation in a Chromium worker pool (8 voids per image, shapes cycling circle/ellipse/irregular)');
    const rate = (side: number, workers: number, output: string) =>
      Number(rows.find((r) => r.chip === `${side}×${side}` && r.workers === workers && r.output === output)?.images_per_s ?? 0);
    writeBenchResult({
      bench: 'generate',
      machine: machineInfo({ browser: `Chromium ${version}`, pool_workers: poolSize }),
      figures: {
        images_per_s_512_pixels_pool: { value: rate(512, poolSize, 'pixels'), unit: 'images/s', target: 100, better: 'higher' },
        images_per_s_512_pixels_1_worker: { value: rate(512, 1, 'pixels'), unit: 'images/s', target: null, better: 'higher' },
        images_per_s_512_png_pool: { value: rate(512, poolSize, 'pixels + PNG'), unit: 'images/s', target: null, better: 'higher' },
        images_per_s_1024_pixels_pool: { value: rate(1024, poolSize, 'pixels'), unit: 'images/s', target: null, better: 'higher' },
        images_per_s_1024_png_pool: { value: rate(1024, poolSize, 'pixels + PNG'), unit: 'images/s', target: null, better: 'higher' },
        pool_speedup_512_pixels: { value: +(rate(512, poolSize, 'pixels') / rate(512, 1, 'pixels')).toFixed(2), unit: '×', target: null, better: 'higher' },
      },
      rows,
    });
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

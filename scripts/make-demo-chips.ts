/**
 * Builds the five demo base chips in public/chips/ (see scripts/lib/demoChip.ts) and
 * public/chips/index.json. Deterministic: the same files every run.
 *
 *   npm run build:chips
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHIPS, renderChip } from './lib/demoChip';
import { encodePng } from './lib/png';

function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(here, '..', 'public', 'chips');
  mkdirSync(dir, { recursive: true });
  for (const spec of CHIPS) {
    const png = encodePng(spec.width, spec.height, 1, renderChip(spec));
    writeFileSync(join(dir, spec.id), png);
    console.log(`${spec.id}: ${spec.width}×${spec.height}, ${(png.length / 1024).toFixed(0)} KiB`);
  }
  const index = CHIPS.map(({ id, width, height }) => ({ id, file: id, width, height }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
}

main();

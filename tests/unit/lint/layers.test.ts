import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lints one line of source as if it were the given file of the repository. */
async function problems(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer boundaries (eslint.config.js)', () => {
  it('keeps the engine free of every other layer and of UI, worker and storage libraries', async () => {
    for (const layer of ['domains/voids/geometry', 'embedders/catalog', 'runtime/lib/jobs', 'storage/experimentDb', 'app/x', 'state/x', 'ui/App']) {
      const found = await problems('src/engine/metrics/x.ts', `import { a } from '../../${layer}';\nvoid a;`);
      expect(found, layer).toEqual([expect.stringContaining('layers/direction: src/engine may not import from')]);
    }
    expect(await problems('src/engine/metrics/x.ts', "import { a } from 'react';\nvoid a;")).toEqual([expect.stringContaining('no-restricted-imports')]);
    expect(await problems('src/engine/metrics/x.ts', "import { a } from '../linalg/matrix';\nvoid a;")).toEqual([]);
  });

  it('forbids a domain to import another domain, and a domain\'s logic to import its views', async () => {
    expect(await problems('src/domains/voids/plan.ts', "import { a } from '../imported/space';\nvoid a;")).toEqual([
      expect.stringContaining('A domain never imports another domain: src/domains/voids imports src/domains/imported'),
    ]);
    expect(await problems('src/domains/voids/plan.ts', "import { a } from './ui/Preview';\nvoid a;")).toEqual([
      expect.stringContaining('src/domains/voids may not import from src/domains/voids/ui'),
    ]);
    expect(await problems('src/domains/voids/ui/Preview.tsx', "import { a } from '../plan';\nvoid a;")).toEqual([]);
    expect(await problems('src/domains/voids/plan.ts', "import { a } from '../../engine/random/rng';\nvoid a;")).toEqual([]);
  });

  it('points dependencies one way: ui → state → app → runtime/storage/domains/embedders → engine', async () => {
    expect(await problems('src/storage/x.ts', "import { a } from '../state/x';\nvoid a;")).toEqual([expect.stringContaining('src/storage may not import from src/state')]);
    expect(await problems('src/app/x.ts', "import { a } from '../ui/App';\nvoid a;")).toEqual([expect.stringContaining('src/app may not import from src/ui')]);
    expect(await problems('src/state/x.ts', "import { a } from '../app/x';\nvoid a;")).toEqual([]);
    expect(await problems('src/ui/x.tsx', "import { a } from 'onnxruntime-web';\nvoid a;")).toEqual([expect.stringContaining('no-restricted-imports')]);
  });
});

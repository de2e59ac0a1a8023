import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

async function problems(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the command line layer (src/cli)', () => {
  it('may use the app and every service layer, never the page (state, ui); nothing below imports it', async () => {
    for (const target of ['../app/experimentService', '../runtime/archive/importBundle', '../storage/archive', '../domains/registry', '../domains/voids/domain', '../embedders/catalog', '../engine/experiment/records']) {
      expect(await problems('src/cli/x.ts', `import { a } from '${target}';\nvoid a;`), target).toEqual([]);
    }
    for (const target of ['../state/x', '../ui/App']) {
      expect(await problems('src/cli/x.ts', `import { a } from '${target}';\nvoid a;`), target).toEqual([expect.stringContaining('src/cli may not import from')]);
    }
    expect(await problems('src/app/x.ts', "import { a } from '../cli/studyFolder';\nvoid a;")).toEqual([expect.stringContaining('src/app may not import from src/cli')]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleWat, moduleSource, wasmKernels } from '../../../scripts/build-wasm';

describe('WebAssembly kernels', () => {
  it.each(wasmKernels.map((k) => [k.exportName, k] as const))('%s holds the bytes of its .wat source (run scripts/build-wasm.ts after editing it)', async (_, kernel) => {
    const hex = await assembleWat(kernel.source);
    const committed = readFileSync(kernel.target, 'utf8');
    const sourceName = kernel.source.slice(kernel.source.indexOf('src/'));
    expect(committed).toBe(moduleSource(hex, kernel.exportName, sourceName));
  });
});

import { describe, expect, it } from 'vitest';
import type { BackendCapabilities, BackendPreference, Precision } from '../../../src/embedders/backendChoice';
import { chooseModelVariant } from '../../../src/embedders/variantChoice';

/** The model manager's choice as a pure function: adapter features and the user's wishes → file and backend. */
const base: BackendCapabilities = { webgpu: true, shaderF16: true, adapterName: 'nvidia hopper', maxStorageBufferBindingSize: 2 ** 31, crossOriginIsolated: true, hardwareConcurrency: 16 };
const adapters: Record<string, BackendCapabilities> = {
  'GPU with shader-f16': base,
  'GPU without shader-f16 (SwiftShader)': { ...base, shaderF16: false, adapterName: 'google swiftshader' },
  'no WebGPU': { ...base, webgpu: false, shaderF16: false, adapterName: '' },
};
const ALL: Precision[] = ['fp32', 'fp16', 'int8'];

describe('chooseModelVariant', () => {
  it.each([
    // adapter, preference, wanted → precision, backend
    ['GPU with shader-f16', 'auto', 'fp16', 'fp16', 'webgpu'],
    ['GPU with shader-f16', 'webgpu', 'fp16', 'fp16', 'webgpu'],
    ['GPU with shader-f16', 'wasm', 'fp16', 'fp32', 'wasm'],
    ['GPU without shader-f16 (SwiftShader)', 'auto', 'fp16', 'fp32', 'webgpu'],
    ['GPU without shader-f16 (SwiftShader)', 'webgpu', 'fp16', 'fp32', 'webgpu'],
    ['no WebGPU', 'auto', 'fp16', 'fp32', 'wasm'],
    ['GPU with shader-f16', 'auto', 'int8', 'int8', 'wasm'],
    ['GPU with shader-f16', 'webgpu', 'int8', 'int8', 'wasm'],
    ['no WebGPU', 'auto', 'int8', 'int8', 'wasm'],
    ['GPU with shader-f16', 'auto', 'fp32', 'fp32', 'webgpu'],
    ['no WebGPU', 'auto', 'fp32', 'fp32', 'wasm'],
  ] as const)('%s, %s, wants %s → %s on %s', (adapter, preference, wanted, precision, backend) => {
    const choice = chooseModelVariant(ALL, wanted, preference as BackendPreference, adapters[adapter]);
    expect(choice).toMatchObject({ precision, backend });
    expect(choice.note === null).toBe(precision === wanted);
  });

  it('says why it did not load the wanted weights', () => {
    expect(chooseModelVariant(ALL, 'fp16', 'auto', adapters['GPU without shader-f16 (SwiftShader)']).note).toBe(
      'fp16 weights need a WebGPU adapter with shader-f16, and this adapter lacks it; using fp32',
    );
    expect(chooseModelVariant(ALL, 'fp16', 'auto', adapters['no WebGPU']).note).toMatch(/no WebGPU adapter; using fp32$/);
    expect(chooseModelVariant(ALL, 'fp16', 'wasm', base).note).toMatch(/WASM was chosen; using fp32$/);
    expect(chooseModelVariant(['fp32'], 'int8', 'auto', base)).toMatchObject({ precision: 'fp32', backend: 'webgpu', note: 'there is no int8 file of this model; using fp32' });
    expect(chooseModelVariant(ALL, 'int8', 'webgpu', base).backendReason).toMatch(/^WebGPU was chosen, but int8 weights run on WASM/);
  });

  it('never hands fp16 to a session without shader-f16, whatever is asked', () => {
    for (const caps of Object.values(adapters)) {
      for (const preference of ['auto', 'webgpu', 'wasm'] as const) {
        if (preference === 'webgpu' && !caps.webgpu) continue; // chooseBackend refuses a forced WebGPU without an adapter
        for (const wanted of ALL) {
          const choice = chooseModelVariant(ALL, wanted, preference, caps);
          if (choice.precision === 'fp16') expect(choice.backend === 'webgpu' && caps.shaderF16).toBe(true);
          if (choice.precision === 'int8') expect(choice.backend).toBe('wasm');
        }
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, chooseBackend, chooseBatchSize, wasmThreadCount, type BackendCapabilities } from '../../../src/embedders/backendChoice';

const gpu: BackendCapabilities = { webgpu: true, shaderF16: true, adapterName: 'nvidia hopper', maxStorageBufferBindingSize: 2 ** 31, crossOriginIsolated: true, hardwareConcurrency: 16 };
const swiftshader: BackendCapabilities = { ...gpu, shaderF16: false, adapterName: 'google swiftshader', maxStorageBufferBindingSize: 2 ** 30 };
const noGpu: BackendCapabilities = { ...gpu, webgpu: false, shaderF16: false, adapterName: '', maxStorageBufferBindingSize: 0 };

describe('chooseBackend', () => {
  it('auto: WebGPU when the adapter can run the weights, else WASM with a reason', () => {
    expect(chooseBackend('auto', gpu, 'fp32')).toEqual({ backend: 'webgpu', reason: 'WebGPU adapter available (nvidia hopper)' });
    expect(chooseBackend('auto', gpu, 'fp16').backend).toBe('webgpu');
    expect(chooseBackend('auto', swiftshader, 'fp16')).toEqual({ backend: 'wasm', reason: 'fp16 weights and the GPU adapter lacks shader-f16' });
    expect(chooseBackend('auto', gpu, 'int8').backend).toBe('wasm');
    expect(chooseBackend('auto', noGpu, 'fp32')).toEqual({ backend: 'wasm', reason: 'no WebGPU adapter in this browser' });
  });
  it('forced: honoured, or an error saying why not', () => {
    expect(chooseBackend('wasm', gpu, 'fp32').backend).toBe('wasm');
    expect(chooseBackend('webgpu', swiftshader, 'fp32').backend).toBe('webgpu');
    expect(() => chooseBackend('webgpu', noGpu, 'fp32')).toThrow(BackendUnavailableError);
    expect(() => chooseBackend('webgpu', noGpu, 'fp32')).toThrow(/no WebGPU adapter/);
    expect(() => chooseBackend('webgpu', swiftshader, 'fp16')).toThrow(/lacks the shader-f16 feature/);
  });
  it('runs int8 on WASM even when WebGPU is forced, and says why', () => {
    const forced = chooseBackend('webgpu', gpu, 'int8');
    expect(forced.backend).toBe('wasm');
    expect(forced.reason).toMatch(/^WebGPU was chosen, but int8 weights run on WASM: .*no kernels for their DynamicQuantizeLinear, MatMulInteger and ConvInteger nodes/);
  });
});

describe('wasmThreadCount', () => {
  it('uses every core up to 8 when isolated, 1 when not', () => {
    expect(wasmThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 2 })).toBe(2);
    expect(wasmThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 32 })).toBe(8);
    expect(wasmThreadCount({ crossOriginIsolated: false, hardwareConcurrency: 32 })).toBe(1);
    expect(wasmThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 2 }, 1)).toBe(1);
    expect(wasmThreadCount({ crossOriginIsolated: false, hardwareConcurrency: 2 }, 4)).toBe(1);
  });
});

describe('chooseBatchSize', () => {
  it('keeps the largest activation under half a storage-buffer binding on WebGPU', () => {
    // ViT-B/14 at 224: 12 heads · 257² · 4 B ≈ 3.2 MB per image; a 128 MiB binding allows 20 → capped at 16.
    expect(chooseBatchSize({ backend: 'webgpu', tokens: 257, dim: 768, maxStorageBufferBindingSize: 128 * 2 ** 20 })).toBe(16);
    // At 518 px (1370 tokens) the scores are 90 MB per image: one at a time.
    expect(chooseBatchSize({ backend: 'webgpu', tokens: 1370, dim: 768, maxStorageBufferBindingSize: 128 * 2 ** 20 })).toBe(1);
    expect(chooseBatchSize({ backend: 'wasm', tokens: 257, dim: 384 })).toBe(16);
  });
  it('honours a fixed model batch first, then a requested size', () => {
    expect(chooseBatchSize({ backend: 'wasm', tokens: 257, dim: 384, fixedBatch: 1, requested: 8 })).toBe(1);
    expect(chooseBatchSize({ backend: 'wasm', tokens: 257, dim: 384, requested: 8 })).toBe(8);
  });
});

import type { BackendCapabilities } from '../backendChoice';

/** The few WebGPU shapes we touch (TypeScript's DOM library has no WebGPU types). */
export interface GpuDeviceLike {
  readonly lost: Promise<{ reason: string; message: string }>;
  destroy(): void;
}
interface GpuAdapterLike {
  readonly features: { has(name: string): boolean };
  readonly limits: { maxStorageBufferBindingSize: number };
  readonly info?: { vendor?: string; architecture?: string; description?: string; device?: string };
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** What this worker's browser offers: a WebGPU adapter (and its shader-f16, limits), isolation, cores. */
export async function probeCapabilities(): Promise<BackendCapabilities> {
  const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
  let adapter: GpuAdapterLike | null = null;
  try {
    adapter = gpu ? await gpu.requestAdapter({ powerPreference: 'high-performance' }) : null;
  } catch {
    adapter = null; // a blocklisted or crashed GPU process rejects instead of returning null
  }
  const info = adapter?.info;
  return {
    webgpu: adapter !== null,
    shaderF16: adapter?.features.has('shader-f16') ?? false,
    adapterName: [info?.vendor, info?.architecture, info?.description || info?.device].filter(Boolean).join(' '),
    maxStorageBufferBindingSize: adapter?.limits.maxStorageBufferBindingSize ?? 0,
    crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency || 1,
  };
}

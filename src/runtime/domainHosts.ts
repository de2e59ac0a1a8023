import { toGenerationJob } from '../domains/voids/domain';
import type { Domain, DomainJob } from '../engine/domain';
import type { ExperimentRecord } from '../engine/experiment/records';
import type { GeneratorPool } from './generatorPool';

/** What the pipeline stores of a generated sample (an image domain's comes with its PNG). */
export interface HostedSample {
  image?: { width: number; height: number; pixels: Uint8ClampedArray<ArrayBuffer> };
  vector?: Float32Array;
  metadata: Record<string, unknown>;
  detail?: unknown;
  png?: Blob;
}

/**
 * Where a domain's generator runs in the page. Void images are painted by the generator worker pool
 * (OffscreenCanvas PNG encoding, one worker per core); a domain without a worker host runs its pure
 * generator on the calling thread, which suits generators that make vectors.
 */
export async function generateInPage(
  pool: () => GeneratorPool,
  experiment: ExperimentRecord,
  domain: Domain,
  jobs: readonly DomainJob[],
  call: { signal?: AbortSignal },
): Promise<HostedSample[]> {
  if (domain.id === 'voids') {
    const images = await pool().generate(jobs.map(toGenerationJob), { ...call, encodePng: true });
    return images.map(({ metadata, geometry, width, height, pixels, png }) => ({
      image: { width, height, pixels },
      metadata: { base_image_id: metadata.base_image_id, uncontrolled_params: metadata.uncontrolled_params, position_rule: metadata.position_rule, timestamp: metadata.timestamp },
      detail: geometry,
      ...(png ? { png } : {}),
    }));
  }
  const generate = domain.generate;
  if (!generate) throw new Error(`the ${domain.label} domain has no generator: its samples come from the client (ask/tell)`);
  return jobs.map((job) => {
    if (call.signal?.aborted) throw new DOMException('generation cancelled', 'AbortError');
    return generate(job, {
      config: experiment.config,
      input: (id) => {
        throw new Error(`input ${id}: the ${domain.label} domain reads no stored inputs in the page`);
      },
    });
  });
}

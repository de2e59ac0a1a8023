import { z } from 'zod';
import { defaultExperimentConfig, type ExperimentConfig } from '../../engine/config/experimentConfig';
import { parameterSpaceFromConfig } from '../../engine/config/space';
import type { Domain, DomainJob, GenerateContext, GeneratedSample, SampleRequest } from '../../engine/domain';
import type { PositionRule } from './geometry';
import type { GenerationJob } from './metadata';
import { paintVoids } from './paint';
import { chooseBaseChip, layoutForImage, toVoidParams } from './sampleImage';

/** The void domain's keys of the experiment config. */
export const voidsConfigSection = {
  /** (studio) Void positions: `centered` (window of width spread × size around the centre) or the original `corner` rule U(0, spread × size) (docs/decisions.md, 'Position spread'). */
  position_rule: z.enum(['centered', 'corner']).default('centered'),
};

/** A void experiment's config: the shared keys and the void section. */
export type VoidsConfig = ExperimentConfig & { position_rule: PositionRule };

/** The position rule of a config; a config made with the shared defaults alone gets the section's default. */
export const positionRuleOf = (config: ExperimentConfig): PositionRule => (config as Partial<VoidsConfig>).position_rule ?? 'centered';

/**
 * X-ray voids painted on defect-free base chips: six parameters (shape, count, size, brightness, size
 * spread, position spread), images embedded by the experiment's embedder. Each image is reproducible
 * from (base chip id, parameters, replicate seed).
 */
export const voidsDomain: Domain = {
  id: 'voids',
  label: 'X-ray voids',
  observation: 'image',
  inputs: [
    { id: 'chips', label: 'Base chips', kind: 'images', min: 1, when: 'always' },
    { id: 'realImages', label: 'Real images', kind: 'images', min: 4, when: 'user-target' },
  ],
  configSection: voidsConfigSection,
  defaultConfig: () => defaultExperimentConfig(voidsConfigSection),
  space: parameterSpaceFromConfig,
  parameterLabels: {
    void_shape: { label: 'Void shape', help: 'Drawing function: circle, ellipse or a smooth irregular blob' },
    void_count: { label: 'Void count', help: 'Exactly this many voids per image' },
    base_size: { label: 'Base size', unit: 'px', help: 'Base void radius' },
    brightness_factor: { label: 'Brightness factor', help: 'Pixel values inside a void are multiplied by this (0 black, 1 unchanged)' },
    size_std: { label: 'Size spread', unit: 'px', help: 'Each radius = base size + N(0, size spread²)' },
    position_spread: { label: 'Position spread', help: 'Share of the image width and height the void centres are drawn from' },
  },
  job: voidJob,
  generate: generateVoidImage,
  // A real image is recorded like a generated one, on no chip and with nothing uncontrolled, so that
  // every exported metadata record has the same fields.
  realInputMetadata: (inputId) => ({ base_image_id: inputId, uncontrolled_params: { rotation: 0, edge_blur: 0 } }),
};

/** The base chip (a hash of seed, set and replicate) and the position rule of one image. */
export function voidJob(request: SampleRequest, config: ExperimentConfig, chipIds: readonly string[]): DomainJob {
  return {
    ...request,
    fields: { base_image_id: chooseBaseChip(chipIds, config.random_seed, request.param_set_id, request.replication_seed), position_rule: positionRuleOf(config) },
  };
}

/** The generator's flat job (what the generator workers take) from a domain job. */
export function toGenerationJob(job: DomainJob): GenerationJob {
  const { fields, ...request } = job;
  return { ...request, base_image_id: String(fields.base_image_id), position_rule: fields.position_rule as PositionRule };
}

/** A domain job from the generator's flat job (previews and tests build flat jobs). */
export function fromGenerationJob({ base_image_id, position_rule, ...request }: GenerationJob): DomainJob {
  return { ...request, fields: { base_image_id, position_rule } };
}

/** Paints one image: the chip's pixels (copied, the chip stays clean) with the job's voids. */
export function generateVoidImage(job: DomainJob, context: GenerateContext): GeneratedSample {
  const { base_image_id, position_rule } = toGenerationJob(job);
  const chip = context.input(base_image_id);
  const layout = layoutForImage(base_image_id, chip, job.params, job.replication_seed, position_rule);
  const pixels = new Uint8ClampedArray(chip.pixels);
  paintVoids(pixels, chip.width, chip.height, layout, toVoidParams(job.params).brightness_factor);
  return {
    image: { width: chip.width, height: chip.height, pixels },
    metadata: { base_image_id, uncontrolled_params: { rotation: layout.rotation, edge_blur: layout.edgeBlur }, position_rule },
    detail: layout,
  };
}

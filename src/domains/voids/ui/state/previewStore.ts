import { create } from 'zustand';
import type { ExperimentConfig } from '../../../../engine/config/experimentConfig';
import { datasetDistributionFromConfig, parameterSpaceFromConfig } from '../../../../engine/config/space';
import { sampleParameterSet } from '../../../../engine/space/sampling';
import { assertInSpace, type ParameterSet, type ParameterValue } from '../../../../engine/space/space';
import { createRng } from '../../../../engine/random/rng';
import { chooseBaseChip } from '../../sampleImage';
import type { PositionRule, VoidLayout } from '../../geometry';
import { fromGenerationJob } from '../../domain';
import type { GenerationJob, VoidSampleMetadata } from '../../metadata';
import { isCancelled } from '../../../../runtime/lib/jobs';
import { generatorPool } from '../../../../state/wiring';

export interface PreviewImage {
  url: string;
  metadata: VoidSampleMetadata & { position_rule: PositionRule };
  geometry: VoidLayout;
  width: number;
  height: number;
}

interface PreviewState {
  params: Record<string, ParameterValue>;
  positionRule: PositionRule;
  /** 'auto' picks a chip per replication as the pipeline does; otherwise every replication uses this chip. */
  chipChoice: 'auto' | string;
  images: PreviewImage[];
  progress: { done: number; total: number } | null;
  error: string | null;
  setParam(name: string, value: ParameterValue): void;
  setPositionRule(rule: PositionRule): void;
  setChipChoice(choice: 'auto' | string): void;
  drawFrom(config: ExperimentConfig, dataset: 'real' | 'close' | 'far'): void;
  generate(config: ExperimentConfig, chipIds: readonly string[]): Promise<void>;
  cancel(): void;
}

/** A parameter set in the middle of the default config's real distribution: a sensible first preview. */
export const INITIAL_PARAMS: ParameterSet = {
  void_shape: 'ellipse',
  void_count: 8,
  base_size: 20,
  brightness_factor: 0.6,
  size_std: 7,
  position_spread: 0.5,
};

let controller: AbortController | null = null;
let draws = 0;

export const usePreviewStore = create<PreviewState>((set, get) => ({
  params: { ...INITIAL_PARAMS },
  positionRule: 'centered',
  chipChoice: 'auto',
  images: [],
  progress: null,
  error: null,

  setParam(name, value) {
    set({ params: { ...get().params, [name]: value } });
  },
  setPositionRule(positionRule) {
    set({ positionRule });
  },
  setChipChoice(chipChoice) {
    set({ chipChoice });
  },
  drawFrom(config, dataset) {
    const space = parameterSpaceFromConfig(config);
    const rng = createRng(config.random_seed).fork(`preview-draw-${dataset}-${draws++}`);
    set({ params: { ...sampleParameterSet(space, datasetDistributionFromConfig(config, dataset), rng) } });
  },

  async generate(config, chipIds) {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    const { params, positionRule, chipChoice } = get();
    try {
      assertInSpace(parameterSpaceFromConfig(config), params);
    } catch (e) {
      set({ error: e instanceof Error ? e.message : String(e) });
      return;
    }
    const replications = config.replications_per_iteration;
    const jobs: GenerationJob[] = Array.from({ length: replications }, (_, r) => ({
      sample_id: `preview_${String(r).padStart(3, '0')}`,
      iteration: 0,
      dataset_type: 'synthetic',
      param_set_id: 'preview',
      replication_seed: r,
      base_image_id: chipChoice === 'auto' ? chooseBaseChip(chipIds, config.random_seed, 'preview', r) : chipChoice,
      params: { ...params },
      position_rule: positionRule,
    }));
    set({ progress: { done: 0, total: jobs.length }, error: null });
    try {
      const generated = await generatorPool().generate('voids', jobs.map(fromGenerationJob), {
        config,
        encodePng: true,
        signal: own.signal,
        onProgress: (p) => set({ progress: { done: p.done, total: p.total } }),
      });
      get().images.forEach((im) => URL.revokeObjectURL(im.url));
      set({
        images: generated.map((g, i) => {
          const { fields: _fields, ...request } = fromGenerationJob(jobs[i]);
          return {
            url: URL.createObjectURL(g.png!),
            metadata: { ...request, ...g.metadata } as PreviewImage['metadata'],
            geometry: g.detail as VoidLayout,
            width: g.image!.width,
            height: g.image!.height,
          };
        }),
        progress: null,
      });
    } catch (e) {
      set({ progress: null, error: isCancelled(e) ? null : e instanceof Error ? e.message : String(e) });
    } finally {
      if (controller === own) controller = null;
    }
  },

  cancel() {
    controller?.abort();
  },
}));

import type { Matrix } from '../linalg/matrix';
import { fitPca, projectPca, type PcaModel } from './pca';
import { fitUmap, restoreUmap, type RestoredUmap, type UmapFactory, type UmapModel, type UmapOptions } from './umap';

/**
 * The 2-D map (see docs/decisions.md, 'A fixed 2-D map'): fitted once on iteration 0 (real + close + far), persisted as plain JSON,
 * and used to place every later iteration — never refitted.
 */
export type ProjectionModel = PcaModel | UmapModel;

export type FitProjectionOptions =
  | { kind: 'pca'; components?: number }
  | ({ kind: 'umap' } & UmapOptions);

export function fitProjection(embeddings: Matrix, options: FitProjectionOptions): ProjectionModel {
  if (options.kind === 'pca') return fitPca(embeddings, { components: options.components ?? 2 });
  if (options.kind === 'umap') return fitUmap(embeddings, options);
  throw new Error(`fitProjection: unknown option \`kind\` = ${(options as { kind: unknown }).kind}`);
}

export interface ProjectionRuntime {
  /** Needed for UMAP models: `(params) => new UMAP(params)` from umap-js. */
  createUmap?: UmapFactory;
}

// A restored UMAP is a refit (~0.1–1 s); keep one per model object for the life of the page.
const restored = new WeakMap<UmapModel, RestoredUmap>();

/** Places rows in the fixed map: an n × components Float64 matrix. */
export function projectEmbeddings(model: ProjectionModel, embeddings: Matrix, runtime: ProjectionRuntime = {}): Matrix<Float64Array> {
  if (model.kind === 'pca') return projectPca(model, embeddings);
  if (model.kind === 'umap') {
    let umap = restored.get(model);
    if (!umap) {
      if (!runtime.createUmap) throw new Error('projectEmbeddings: a UMAP model needs `runtime.createUmap` (umap-js lives in the analyze worker)');
      umap = restoreUmap(model, runtime.createUmap);
      restored.set(model, umap);
    }
    return umap.transform(embeddings);
  }
  throw new Error(`projectEmbeddings: unknown model kind ${(model as { kind: unknown }).kind}`);
}

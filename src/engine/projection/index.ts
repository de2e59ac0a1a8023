export { fitPca, projectPca, type PcaModel, type PcaOptions } from './pca';
export { fitUmap, restoreUmap, type UmapEngine, type UmapFactory, type UmapModel, type UmapOptions, type UmapSettings } from './umap';
export { fitProjection, projectEmbeddings, type FitProjectionOptions, type ProjectionModel, type ProjectionRuntime } from './projection';

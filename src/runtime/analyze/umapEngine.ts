import { UMAP } from 'umap-js';
import type { UmapEngine, UmapFactory } from '../../engine/projection';

/**
 * umap-js behind core's UmapEngine interface (core may not import umap-js).
 *
 * adoptLayout sets the instance's `embedding` field: umap-js 1.4 has no public setter, and transform()
 * places new points against exactly that field (initTransform and the tail of its optimisation, see
 * node_modules/umap-js/dist/umap.js `transform`). The field name is pinned by the version in
 * package.json; tests/unit/projection/umap.test.ts fails if it changes.
 */
export const createUmapEngine: UmapFactory = (params): UmapEngine => {
  const umap = new UMAP(params);
  return {
    fit: (data) => umap.fit(data),
    transform: (data) => umap.transform(data),
    adoptLayout(layout) {
      const internals = umap as unknown as { embedding: number[][] };
      if (!Array.isArray(internals.embedding) || internals.embedding.length !== layout.length) {
        throw new Error('umap-js: cannot adopt a stored layout (no fitted `embedding` of the same size; has umap-js changed?)');
      }
      internals.embedding = layout;
    },
  };
};

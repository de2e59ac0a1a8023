import { expect, it } from 'vitest';
import { cosineGapHistogram } from '../../../src/ui/model/cosineHistogram';

it('counts images by decade of 1 − cosine, the edges in the upper bin', () => {
  const bins = cosineGapHistogram([1, 1 - 5e-7, 1 - 1e-6, 1 - 3e-5, 1 - 2e-4, 1 - 0.5, 0.99]);
  expect(bins).toEqual([
    { label: '<1e-6', count: 2 },
    { label: '1e-6–1e-5', count: 1 },
    { label: '1e-5–1e-4', count: 1 },
    { label: '1e-4–1e-3', count: 1 },
    { label: '1e-3–1e-2', count: 0 },
    { label: '≥1e-2', count: 2 },
  ]);
});

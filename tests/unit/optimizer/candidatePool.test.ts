import { describe, expect, it } from 'vitest';
import { GpPosterior } from '../../../src/engine/optimizer/gp/posterior';
import { gpInputs } from '../../../src/engine/optimizer/gp/trainingData';
import { CandidatePool } from '../../../src/engine/optimizer/optimize/candidatePool';
import { createRng } from '../../../src/engine/random/rng';

describe('candidate pool under Kriging-believer fantasies', () => {
  it('keeps means and variances equal to the full posterior after each fantasy', () => {
    const rng = createRng(4);
    const rows = Array.from({ length: 15 }, () => [rng.next(), rng.next()]);
    const y = rows.map((r) => Math.cos(4 * r[0]) * r[1]);
    let posterior = GpPosterior.fromData(gpInputs(rows, [0, 1]), y, { lengthscales: [0.25, 0.6], outputscale: 1.2, noise: 0.01, mean: 0 }, 'rbf');
    const points = Array.from({ length: 40 }, () => Float64Array.from([rng.next(), rng.next()]));
    const pool = new CandidatePool(points, posterior, 3);
    for (let step = 0; step < 3; step++) {
      const x = points[step * 7];
      posterior = posterior.withObservation(x, posterior.predict(x).mean);
      pool.addObservation(posterior);
      points.forEach((p, i) => {
        const full = posterior.predict(p);
        expect(pool.means[i]).toBeCloseTo(full.mean, 10);
        expect(pool.variances[i]).toBeCloseTo(full.variance, 10);
      });
    }
  });
});

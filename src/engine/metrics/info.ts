/**
 * The self-description every metric result carries, so the UI can label an axis, say which way is
 * better and show the estimator without knowing the metric. The formulas here are the ones the code
 * computes (each metric's own doc comment has the details and the source).
 */
export type MetricId =
  | 'mmd2_unbiased'
  | 'mmd2_biased'
  | 'kid'
  | 'energy_distance'
  | 'sliced_wasserstein'
  | 'frechet_pca'
  | 'nearest_real_median'
  | 'epsilon_ball_share'
  | 'precision'
  | 'recall'
  | 'density'
  | 'coverage';

export interface MetricInfo {
  id: MetricId;
  label: string;
  /** Unit of the value: 'kernel units' are dimensionless, 'embedding distance' is the L2 norm of the embedding space. */
  unit: string;
  /** Which way is closer to the real set. The noise floor says what a perfect generator scores. */
  direction: 'lower' | 'higher';
  estimator: string;
  formula: string;
  source: string;
  caveat?: string;
}

export const metricInfo: Readonly<Record<MetricId, MetricInfo>> = {
  mmd2_unbiased: {
    id: 'mmd2_unbiased',
    label: 'MMD² (unbiased, Gaussian)',
    unit: 'kernel units (dimensionless)',
    direction: 'lower',
    estimator: 'unbiased U-statistic; can be negative, E = 0 when the distributions are equal',
    formula: 'Σ_{i≠j} k(x_i,x_j)/(n(n−1)) + Σ_{i≠j} k(y_i,y_j)/(m(m−1)) − 2 Σ_{i,j} k(x_i,y_j)/(nm), k = exp(−‖x−y‖²/(2σ²)), σ fixed at iteration 0',
    source: 'Gretton et al., A Kernel Two-Sample Test, JMLR 2012, eq. 3',
  },
  mmd2_biased: {
    id: 'mmd2_biased',
    label: 'MMD² (biased, Gaussian)',
    unit: 'kernel units (dimensionless)',
    direction: 'lower',
    estimator: 'biased V-statistic; ≥ 0, expected value > 0 even for equal distributions (≈ 1/n + 1/m scale)',
    formula: 'Σ_{i,j} k(x_i,x_j)/n² + Σ_{i,j} k(y_i,y_j)/m² − 2 Σ_{i,j} k(x_i,y_j)/(nm)',
    source: 'Gretton et al., JMLR 2012, eq. 5',
  },
  kid: {
    id: 'kid',
    label: 'KID',
    unit: 'kernel units (dimensionless)',
    direction: 'lower',
    estimator: 'unbiased U-statistic (as MMD² unbiased), one estimate on all samples (no subset averaging)',
    formula: 'unbiased MMD² with k(x,y) = (xᵀy/D + 1)³',
    source: 'Bińkowski et al., Demystifying MMD GANs, ICLR 2018',
  },
  energy_distance: {
    id: 'energy_distance',
    label: 'Energy distance',
    unit: 'embedding distance',
    direction: 'lower',
    estimator: 'unbiased U-statistic (within-sample means over i ≠ j); can be negative',
    formula: '2 Σ‖x_i−y_j‖/(nm) − Σ_{i≠j}‖x_i−x_j‖/(n(n−1)) − Σ_{i≠j}‖y_i−y_j‖/(m(m−1))',
    source: 'Székely & Rizzo, Energy statistics, J. Stat. Plan. Inference 2013',
  },
  sliced_wasserstein: {
    id: 'sliced_wasserstein',
    label: 'Sliced Wasserstein-2',
    unit: 'embedding distance',
    direction: 'lower',
    estimator: 'plug-in (empirical distributions), biased upwards at small n; fixed seeded directions',
    formula: '( (1/L) Σ_l W_2²(θ_lᵀX, θ_lᵀY) )^{1/2}, θ_l uniform on the unit sphere, W_2 between 1-D empirical quantile functions',
    source: 'Bonneel et al., Sliced and Radon Wasserstein barycenters, JMIV 2015',
  },
  frechet_pca: {
    id: 'frechet_pca',
    label: 'Fréchet distance (PCA-k, Ledoit–Wolf)',
    unit: 'squared embedding distance',
    direction: 'lower',
    estimator: 'plug-in with Ledoit–Wolf shrunk covariances; biased upwards at small n',
    formula: '‖μ_x − μ_y‖² + tr(Σ_x) + tr(Σ_y) − 2 tr((Σ_x^{1/2} Σ_y Σ_x^{1/2})^{1/2}) in the fixed PCA-k coordinates',
    source: 'Dowson & Landau 1982; Heusel et al. (FID) 2017; Stein et al. (FD_DINOv2) 2023',
    caveat: 'k < number of real samples; only the variation inside the PCA-k subspace is compared',
  },
  nearest_real_median: {
    id: 'nearest_real_median',
    label: 'Median distance to nearest real',
    unit: 'embedding distance',
    direction: 'lower',
    estimator: 'median over candidate samples of min_i ‖y − x_i‖',
    formula: 'median_j min_i ‖y_j − x_i‖',
    source: 'per-sample memorisation/coverage check',
  },
  epsilon_ball_share: {
    id: 'epsilon_ball_share',
    label: 'Share inside a real ε-ball',
    unit: 'fraction of candidate samples',
    direction: 'higher',
    estimator: 'plug-in proportion',
    formula: '(1/m) Σ_j 1[min_i ‖y_j − x_i‖ ≤ ε], ε = median_i min_{i′≠i} ‖x_i − x_i′‖ (the real set’s own median nearest-neighbour distance)',
    source: 'this project (docs/decisions.md, "Metric suite")',
    caveat: 'a held-out real sample lands inside with probability ≈ 0.5 by construction; compare with the floor',
  },
  precision: {
    id: 'precision',
    label: 'Precision (k-NN)',
    unit: 'fraction of candidate samples',
    direction: 'higher',
    estimator: 'plug-in proportion',
    formula: '(1/m) Σ_j 1[∃i: ‖y_j − x_i‖ ≤ NND_k(x_i)]',
    source: 'Kynkäänniemi et al., Improved Precision and Recall Metric, NeurIPS 2019',
  },
  recall: {
    id: 'recall',
    label: 'Recall (k-NN)',
    unit: 'fraction of real samples',
    direction: 'higher',
    estimator: 'plug-in proportion; k on the candidate manifold is min(k, m − 1)',
    formula: '(1/n) Σ_i 1[∃j: ‖x_i − y_j‖ ≤ NND_k(y_j)]',
    source: 'Kynkäänniemi et al., NeurIPS 2019',
    caveat: 'grows with the number of candidate samples; compare at matched sizes',
  },
  density: {
    id: 'density',
    label: 'Density (k-NN)',
    unit: 'mean real k-NN balls per candidate / k (≈ 1 when equal; can exceed 1)',
    direction: 'higher',
    estimator: 'plug-in; E = 1 exactly when both samples come from one continuous distribution (Naeem et al.)',
    formula: '(1/(k m)) Σ_j Σ_i 1[‖y_j − x_i‖ ≤ NND_k(x_i)]',
    source: 'Naeem et al., Reliable Fidelity and Diversity Metrics, ICML 2020',
  },
  coverage: {
    id: 'coverage',
    label: 'Coverage (k-NN)',
    unit: 'fraction of real samples',
    direction: 'higher',
    estimator: 'plug-in proportion',
    formula: '(1/n) Σ_i 1[min_j ‖x_i − y_j‖ ≤ NND_k(x_i)]',
    source: 'Naeem et al., ICML 2020',
  },
};

export const metricIds = Object.keys(metricInfo) as MetricId[];

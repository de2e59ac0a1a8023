#!/usr/bin/python3
"""Regenerates tests/fixtures/heteroscedastic_gp/hetero_gp_goldens.json, the reference values of the
heteroscedastic GP's unit tests (tests/unit/optimizer/heteroscedasticGp.test.ts). Uses Debian's
python3-sklearn 1.2 / python3-numpy (call /usr/bin/python3). The tests themselves need no Python: the JSON
file is committed.

    /usr/bin/python3 scripts/hetero_gp_goldens.py

Each observation i carries a replicate count r_i; its noise variance is sigma_n^2 * r_ref / r_i with r_ref
the median count (src/engine/optimizer/replicates.ts). scikit-learn's GaussianProcessRegressor takes a
per-sample noise variance as `alpha` (added to the kernel matrix's diagonal), so the reference model is
  GaussianProcessRegressor(ConstantKernel(sigma_f^2) * Matern/RBF(l), alpha=sigma_n^2 * r_ref / r,
                           optimizer=None, normalize_y=False) fitted on y - c,
at fixed hyperparameters. Its predictive std has no noise term (the kernel has no WhiteKernel), so it is
the latent std our posterior reports. Also recorded:
- the negative log marginal likelihood (sklearn's, at the kernel's theta) and its gradient over our
  theta = [log l_g, log sigma_f^2, log sigma_n^2, c]: the kernel part from sklearn's gradient, the noise
  and mean parts in closed form with numpy, 1/2 sigma_n^2 sum_i s_i W_ii and -sum_i alpha_i, where
  W = K^-1 - a a^T, a = K^-1 (y - c), s_i = r_ref / r_i;
- leave-one-out by brute-force refits without each point: predictive mean and variance of y_i (latent
  variance plus the held-out point's own noise sigma_n^2 s_i).
"""
import json
import os

import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, Matern

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'heteroscedastic_gp')


def case(name, kernel_kind, X, y, replicates, groups, lengthscales, outputscale, noise, mean, Xstar):
    reference = float(np.median(replicates))
    scale = reference / np.asarray(replicates, dtype=float)
    alpha = noise * scale
    per_coordinate = [lengthscales[g] for g in groups]
    base = Matern(length_scale=per_coordinate, nu=2.5, length_scale_bounds=(1e-5, 1e5)) if kernel_kind == 'matern52' \
        else RBF(length_scale=per_coordinate, length_scale_bounds=(1e-5, 1e5))
    kernel = ConstantKernel(outputscale, constant_value_bounds=(1e-5, 1e5)) * base
    gpr = GaussianProcessRegressor(kernel=kernel, alpha=alpha, optimizer=None, normalize_y=False)
    gpr.fit(X, y - mean)
    mu, std = gpr.predict(Xstar, return_std=True)
    lml, grad = gpr.log_marginal_likelihood(gpr.kernel_.theta, eval_gradient=True)
    # sklearn's theta: [log sigma_f^2, log l_1..l_D] -> ours: [log l_g (summed over the group), log sigma_f^2, log sigma_n^2, c]
    G = len(lengthscales)
    ours = [0.0] * (G + 3)
    for c, g in enumerate(groups):
        ours[g] += -grad[1 + c]
    ours[G] = -grad[0]
    K = gpr.kernel_(X) + np.diag(alpha)
    Kinv = np.linalg.inv(K)
    a = Kinv @ (y - mean)
    W = Kinv - np.outer(a, a)
    ours[G + 1] = 0.5 * noise * float(np.sum(scale * np.diag(W)))
    ours[G + 2] = -float(np.sum(a))
    loo_mean, loo_var = [], []
    for i in range(len(X)):
        keep = np.arange(len(X)) != i
        g_i = GaussianProcessRegressor(kernel=kernel, alpha=alpha[keep], optimizer=None).fit(X[keep], y[keep] - mean)
        m_i, s_i = g_i.predict(X[i:i + 1], return_std=True)
        loo_mean.append(float(m_i[0] + mean))
        loo_var.append(float(s_i[0] ** 2 + alpha[i]))
    return {
        'name': name,
        'kernel': kernel_kind,
        'X': X.tolist(),
        'y': y.tolist(),
        'replicates': [int(r) for r in replicates],
        'referenceReplicates': reference,
        'groups': groups,
        'hyperparameters': {'lengthscales': lengthscales, 'outputscale': outputscale, 'noise': noise, 'mean': mean},
        'Xstar': Xstar.tolist(),
        'mean': (mu + mean).tolist(),
        'std': std.tolist(),
        'negativeLogMarginalLikelihood': -float(lml),
        'gradient': ours,
        'looMean': loo_mean,
        'looVariance': loo_var,
    }


def goldens():
    rng = np.random.default_rng(20250117)
    cases = []
    # 1. Continuous 2-D, Matérn-5/2; counts from 1 to 32 (one point twice, at different counts).
    X = rng.random((12, 2))
    X[11] = X[3]
    r = np.array([3, 3, 1, 3, 32, 3, 2, 3, 8, 3, 1, 16])
    y = np.sin(4 * X[:, 0]) + 0.5 * X[:, 1] + 0.3 * rng.standard_normal(12) / np.sqrt(r)
    cases.append(case('continuous-matern52', 'matern52', X, y, r, [0, 1], [0.35, 0.8], 1.1, 0.05, 0.1, rng.random((6, 2))))
    # 2. Continuous 3-D, RBF, an even number of points (the median of the counts falls between two).
    X = rng.random((10, 3))
    r = np.array([1, 2, 4, 4, 8, 2, 1, 32, 4, 2])
    y = X[:, 0] ** 2 - X[:, 1] + 0.2 * X[:, 2] + 0.2 * rng.standard_normal(10) / np.sqrt(r)
    cases.append(case('continuous-rbf', 'rbf', X, y, r, [0, 1, 2], [0.5, 0.6, 1.7], 0.9, 0.02, -0.2, rng.random((5, 3))))
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, 'hetero_gp_goldens.json')
    with open(path, 'w') as f:
        json.dump(goldens(), f, indent=1)
        f.write('\n')
    print('wrote', path)


if __name__ == '__main__':
    main()

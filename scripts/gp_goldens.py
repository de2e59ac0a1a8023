#!/usr/bin/python3
"""Regenerates tests/fixtures/optimizer/*.json, the reference values the optimizer's unit tests compare
against. Uses Debian's python3-sklearn 1.2 / python3-scipy 1.10 / python3-mpmath (call /usr/bin/python3).
The tests themselves need no Python: the JSON files are committed.

    /usr/bin/python3 scripts/gp_goldens.py

- gp_goldens.json: GaussianProcessRegressor at fixed hyperparameters (optimizer=None) — posterior mean,
  latent variance (sklearn's predictive variance minus the WhiteKernel noise), log marginal likelihood
  and its gradient over sklearn's log-hyperparameters; leave-one-out by brute-force refits.
- sobol_goldens.json: scipy.stats.qmc.Sobol(d, scramble=False) points.
- normal_goldens.json: Φ, log Φ, log h(z) = log(φ(z) + zΦ(z)) from mpmath at 50 digits.
- yeo_johnson_goldens.json: scipy.stats.yeojohnson's maximum-likelihood λ and transformed values.
"""
import json
import math
import os

import mpmath as mp
import numpy as np
import scipy.stats
from scipy.stats import qmc
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, Matern, WhiteKernel

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'optimizer')
ONE_HOT_SCALE = 1 / math.sqrt(2)  # src/engine/optimizer/encoding.ts scales one-hot coordinates by 1/√2


def gp_case(name, kernel_kind, X, y, groups, lengthscales, outputscale, noise, mean, Xstar):
    per_coordinate = [lengthscales[g] for g in groups]
    base = Matern(length_scale=per_coordinate, nu=2.5, length_scale_bounds=(1e-5, 1e5)) if kernel_kind == 'matern52' \
        else RBF(length_scale=per_coordinate, length_scale_bounds=(1e-5, 1e5))
    kernel = ConstantKernel(outputscale, constant_value_bounds=(1e-5, 1e5)) * base + \
        WhiteKernel(noise, noise_level_bounds=(1e-12, 1e5))
    gpr = GaussianProcessRegressor(kernel=kernel, optimizer=None, alpha=0.0, normalize_y=False)
    gpr.fit(X, y - mean)
    mu, std = gpr.predict(Xstar, return_std=True)
    lml, grad = gpr.log_marginal_likelihood(gpr.kernel_.theta, eval_gradient=True)
    # sklearn's theta: [log σ_f², log ℓ_1..ℓ_D, log σ_n²] → ours: [log ℓ_g (summed over the group), log σ_f², log σ_n², c]
    G = len(lengthscales)
    ours = [0.0] * (G + 3)
    for c, g in enumerate(groups):
        ours[g] += -grad[1 + c]
    ours[G] = -grad[0]
    ours[G + 1] = -grad[-1]
    K = gpr.kernel_(X)
    Kinv = np.linalg.inv(K)
    ours[G + 2] = -float(np.sum(Kinv @ (y - mean)))
    # Leave-one-out at the same hyperparameters, by refitting without each point.
    loo_mean, loo_var = [], []
    for i in range(len(X)):
        keep = np.arange(len(X)) != i
        g_i = GaussianProcessRegressor(kernel=kernel, optimizer=None, alpha=0.0).fit(X[keep], y[keep] - mean)
        m_i, s_i = g_i.predict(X[i:i + 1], return_std=True)
        loo_mean.append(float(m_i[0] + mean))
        loo_var.append(float(s_i[0] ** 2))  # predictive variance of y_i: includes the noise
    return {
        'name': name,
        'kernel': kernel_kind,
        'X': X.tolist(),
        'y': y.tolist(),
        'groups': groups,
        'hyperparameters': {'lengthscales': lengthscales, 'outputscale': outputscale, 'noise': noise, 'mean': mean},
        'Xstar': Xstar.tolist(),
        'mean': (mu + mean).tolist(),
        'latentVariance': (std ** 2 - noise).tolist(),
        'negativeLogMarginalLikelihood': -float(lml),
        'gradient': ours,
        'looMean': loo_mean,
        'looVariance': loo_var,
    }


def gp_goldens():
    rng = np.random.default_rng(20240607)
    cases = []
    # 1. Continuous 3-D, Matérn-5/2.
    X = rng.random((14, 3))
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2 - 0.5 * X[:, 2] + 0.05 * rng.standard_normal(14)
    cases.append(gp_case('continuous-matern52', 'matern52', X, y, [0, 1, 2], [0.3, 0.7, 1.9], 1.3, 0.01, 0.2,
                         rng.random((7, 3))))
    # 2. Same data, RBF, larger noise.
    cases.append(gp_case('continuous-rbf', 'rbf', X, y, [0, 1, 2], [0.4, 0.5, 2.5], 0.8, 0.05, -0.1, rng.random((7, 3))))
    # 3. Mixed: one integer (3..20 on a grid), one categorical of 3 (one-hot × 1/√2, one shared lengthscale), 2 continuous.
    n = 20
    levels = rng.integers(0, 3, n)
    ints = rng.integers(3, 21, n)
    cont = rng.random((n, 2))

    def encode(lv, it, ct):
        return np.column_stack([np.eye(3)[lv] * ONE_HOT_SCALE, (it - 3) / 17, ct])

    X = encode(levels, ints, cont)
    y = np.array([0.0, 0.4, 0.2])[levels] + (ints - 8) ** 2 / 100 + (cont[:, 0] - 0.3) ** 2 + 0.02 * rng.standard_normal(n)
    Xs = encode(rng.integers(0, 3, 6), rng.integers(3, 21, 6), rng.random((6, 2)))
    cases.append(gp_case('mixed-matern52', 'matern52', X, y, [0, 0, 0, 1, 2, 3], [0.9, 0.25, 0.5, 1.5], 1.0, 0.003, 0.1, Xs))
    return cases


def sobol_goldens():
    out = []
    for d, n in [(1, 16), (2, 32), (6, 64), (21, 16)]:
        out.append({'dimension': d, 'points': qmc.Sobol(d, scramble=False).random(n).tolist()})
    return out


def normal_goldens():
    mp.mp.dps = 50
    zs = [-1e4, -300.0, -40.0, -12.5, -6.0, -3.5, -3.0, -2.99, -2.0, -1.0, -0.999, -0.3, 0.0, 0.7, 2.0, 2.99, 3.0, 5.5, 9.0, 40.0]
    rows = []
    for z in zs:
        zm = mp.mpf(z)
        cdf = mp.ncdf(zm)
        h = mp.npdf(zm) + zm * cdf
        rows.append({
            'z': z,
            'cdf': float(cdf),
            'logCdf': float(mp.log(cdf)),
            'logH': float(mp.log(h)),
            'logHDerivative': float(cdf / h),
        })
    return rows


def yeo_johnson_goldens():
    rng = np.random.default_rng(7)
    x = np.exp(rng.normal(0, 0.8, 40)) - 0.7  # right-skewed, a few negatives
    transformed, lam = scipy.stats.yeojohnson(x)
    return {'x': x.tolist(), 'lambda': float(lam), 'transformed': transformed.tolist()}


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        'gp_goldens.json': gp_goldens(),
        'sobol_goldens.json': sobol_goldens(),
        'normal_goldens.json': normal_goldens(),
        'yeo_johnson_goldens.json': yeo_johnson_goldens(),
    }
    for name, data in files.items():
        with open(os.path.join(OUT, name), 'w') as f:
            json.dump(data, f, indent=1)
            f.write('\n')
        print('wrote', os.path.join(OUT, name))


if __name__ == '__main__':
    main()

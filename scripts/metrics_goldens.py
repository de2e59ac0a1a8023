#!/usr/bin/python3
"""Golden values for the latent-space metric suite, from numpy / scipy / sklearn.

Run with Debian's interpreter (the one that has python3-numpy, python3-scipy, python3-sklearn):

    /usr/bin/python3 scripts/metrics_goldens.py

It writes, under tests/fixtures/metrics/:
  real_384.npy (16x384), synthetic_384.npy (72x384), real_768.npy (16x768), synthetic_768.npy (24x768):
      seeded, DINOv2-like fixture embeddings (float32, L2-normalised, low-rank structure + noise);
  directions_384.npy, directions_768.npy: 16 unit slice directions each (float32) for sliced Wasserstein;
  goldens.json: every reference value the unit tests compare with.
The tests read only these files; they never run Python.

Conventions shared with src/engine/metrics (each is also stated in the TypeScript doc comments):
  Gaussian kernel k(x,y) = exp(-|x-y|^2 / (2 sigma^2)), sigma = median pairwise distance (i<j);
  KID kernel (x.y/D + 1)^3; energy distance as a U-statistic (not its square root);
  SW_p with the given directions, exact 1-D W_p between empirical quantile functions;
  PCA axes flipped so each axis's largest-magnitude entry is positive;
  Ledoit-Wolf = sklearn.covariance.ledoit_wolf; 'none' covariance = np.cov (divisor n-1);
  k-NN balls are closed (<=), k-th neighbour excludes the point itself.
"""
import json
import os
import sys

import numpy as np
import scipy
import scipy.linalg
import scipy.stats
import sklearn
from scipy.spatial.distance import cdist, pdist
from sklearn.covariance import ledoit_wolf
from sklearn.decomposition import PCA
from sklearn.metrics.pairwise import polynomial_kernel, rbf_kernel

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'tests', 'fixtures', 'metrics')
SEED = 20240604
N_DIRECTIONS = 16
PCA_K = 8
PRDC_K = 5


def embeddings(rng, n, basis, mean, shift, scale, noise):
    """mean + shift + (z * scale) @ basis + noise, then L2-normalised rows (DINOv2 CLS default)."""
    z = rng.standard_normal((n, basis.shape[0])) * scale
    x = mean + shift + z @ basis + noise * rng.standard_normal((n, basis.shape[1]))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def make_fixtures():
    rng = np.random.default_rng(SEED)
    sets = {}
    for dim, n_synthetic in ((384, 72), (768, 24)):
        rank = 12
        basis = rng.standard_normal((rank, dim)) / np.sqrt(dim)
        mean = rng.standard_normal(dim) / np.sqrt(dim) * 3.0
        scale = np.linspace(1.0, 0.3, rank)
        noise = 0.25 / np.sqrt(dim)
        real = embeddings(rng, 16, basis, mean, 0.0, scale, noise)
        close_shift = 0.4 * (basis[0] + basis[1])
        far_shift = 1.5 * basis[2] - 1.0 * basis[3]
        per = n_synthetic // 3
        synthetic = np.vstack([
            embeddings(rng, per, basis, mean, close_shift, scale * 0.8, noise),      # close
            embeddings(rng, per, basis, mean, far_shift, scale * 1.3, noise * 2),    # far
            embeddings(rng, n_synthetic - 2 * per, basis, mean, 0.0, scale, noise),  # same as real
        ])
        d = rng.standard_normal((N_DIRECTIONS, dim))
        directions = (d / np.linalg.norm(d, axis=1, keepdims=True)).astype(np.float32)
        np.save(os.path.join(OUT, f'real_{dim}.npy'), real)
        np.save(os.path.join(OUT, f'synthetic_{dim}.npy'), synthetic)
        np.save(os.path.join(OUT, f'directions_{dim}.npy'), directions)
        sets[dim] = (real, synthetic, directions)
    return sets


def load(dim):
    f = lambda name: np.load(os.path.join(OUT, f'{name}_{dim}.npy')).astype(np.float64)
    return f('real'), f('synthetic'), f('directions')


def mmd2(kxx, kyy, kxy, unbiased):
    n, m = kxx.shape[0], kyy.shape[0]
    if unbiased:
        return ((kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
                - 2 * kxy.mean())
    return kxx.mean() + kyy.mean() - 2 * kxy.mean()


def energy_u(x, y):
    n, m = len(x), len(y)
    return 2 * cdist(x, y).mean() - cdist(x, x).sum() / (n * (n - 1)) - cdist(y, y).sum() / (m * (m - 1))


def wasserstein_power(a, b, p):
    """W_p^p of two 1-D empirical distributions via their quantile functions on the merged breaks."""
    a, b = np.sort(a), np.sort(b)
    n, m = len(a), len(b)
    breaks = np.unique(np.concatenate([np.arange(1, n + 1) * m, np.arange(1, m + 1) * n]))  # units of 1/(nm)
    previous = np.concatenate([[0], breaks[:-1]])
    middle = (previous + breaks) / 2.0
    ia = np.floor(middle / m).astype(int)
    ib = np.floor(middle / n).astype(int)
    return float(np.sum((breaks - previous) / (n * m) * np.abs(a[ia] - b[ib]) ** p))


def sliced(x, y, directions, p):
    px, py = x @ directions.T, y @ directions.T
    if p == 1:
        per = [scipy.stats.wasserstein_distance(px[:, l], py[:, l]) for l in range(len(directions))]
        check = [wasserstein_power(px[:, l], py[:, l], 1) for l in range(len(directions))]
        assert np.allclose(per, check, rtol=1e-12, atol=1e-15), 'quantile-integral W1 disagrees with scipy'
        return float(np.mean(per))
    return float(np.mean([wasserstein_power(px[:, l], py[:, l], 2) for l in range(len(directions))]) ** 0.5)


def pca_fit(data, k):
    pca = PCA(n_components=k, svd_solver='full').fit(data)
    comps = pca.components_.copy()
    for c in range(k):
        if comps[c, np.argmax(np.abs(comps[c]))] < 0:
            comps[c] = -comps[c]
    return pca, comps


def frechet(mu1, s1, mu2, s2):
    covmean, _ = scipy.linalg.sqrtm(s1 @ s2, disp=False)
    covmean = covmean.real
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def kth_neighbour(distances, k):
    d = distances.copy()
    np.fill_diagonal(d, np.inf)
    return np.sort(d, axis=1)[:, k - 1]


def prdc(real, fake, k):
    k_real = min(k, len(real) - 1)
    k_fake = min(k, len(fake) - 1)
    real_radii = kth_neighbour(cdist(real, real), k_real)
    fake_radii = kth_neighbour(cdist(fake, fake), k_fake)
    d = cdist(real, fake)  # n x m
    inside = d <= real_radii[:, None]
    return {
        'precision': float(inside.any(axis=0).mean()),
        'recall': float((d <= fake_radii[None, :]).any(axis=1).mean()),
        'density': float(inside.sum() / (k_real * len(fake))),
        'coverage': float((d.min(axis=1) <= real_radii).mean()),
        'kReal': k_real,
        'kSynthetic': k_fake,
    }


def case(real, synthetic, directions, pca2, comps2, pcak, compsk, sigma):
    n, m, dim = len(real), len(synthetic), real.shape[1]
    gamma = 1.0 / (2 * sigma ** 2)
    kxx, kyy, kxy = rbf_kernel(real, real, gamma=gamma), rbf_kernel(synthetic, synthetic, gamma=gamma), rbf_kernel(real, synthetic, gamma=gamma)
    pxx = polynomial_kernel(real, real, degree=3, gamma=1.0 / dim, coef0=1)
    pyy = polynomial_kernel(synthetic, synthetic, degree=3, gamma=1.0 / dim, coef0=1)
    pxy = polynomial_kernel(real, synthetic, degree=3, gamma=1.0 / dim, coef0=1)
    zr = (real - pcak.mean_) @ compsk.T
    zs = (synthetic - pcak.mean_) @ compsk.T
    cov_r, shrink_r = ledoit_wolf(zr)
    cov_s, shrink_s = ledoit_wolf(zs)
    d_sr = cdist(synthetic, real)
    d_rr = cdist(real, real)
    np.fill_diagonal(d_rr, np.inf)
    epsilon = float(np.median(d_rr.min(axis=1)))
    nearest = d_sr.min(axis=1)
    out = {
        'n': n,
        'm': m,
        'mmd2_unbiased': float(mmd2(kxx, kyy, kxy, True)),
        'mmd2_biased': float(mmd2(kxx, kyy, kxy, False)),
        'kid': float(mmd2(pxx, pyy, pxy, True)),
        'energy_distance': float(energy_u(real, synthetic)),
        'sliced_wasserstein_1': sliced(real, synthetic, directions, 1),
        'sliced_wasserstein_2': sliced(real, synthetic, directions, 2),
        'ledoit_wolf_shrinkage_real': float(shrink_r),
        'ledoit_wolf_shrinkage_synthetic': float(shrink_s),
        'frechet_ledoit_wolf': frechet(zr.mean(0), cov_r, zs.mean(0), cov_s),
        'nearest_euclidean': nearest.tolist(),
        'nearest_euclidean_index': d_sr.argmin(axis=1).tolist(),
        'nearest_cosine': cdist(synthetic, real, 'cosine').min(axis=1).tolist(),
        'nearest_mahalanobis': cdist(zs, zr, 'mahalanobis', VI=np.linalg.inv(cov_r)).min(axis=1).tolist(),
        'epsilon': epsilon,
        'epsilon_ball_share': float((nearest <= epsilon).mean()),
        'prdc_k5': prdc(real, synthetic, PRDC_K),
        'prdc_k3': prdc(real, synthetic, 3),
        'pca2_synthetic': ((synthetic - pca2.mean_) @ comps2.T).tolist(),
    }
    if m > PCA_K:
        out['frechet_unbiased_cov'] = frechet(zr.mean(0), np.cov(zr, rowvar=False), zs.mean(0), np.cov(zs, rowvar=False))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    if '--keep-fixtures' not in sys.argv:
        make_fixtures()
    goldens = {
        'generator': 'scripts/metrics_goldens.py',
        'versions': {'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__},
        'pca_k': PCA_K,
        'cases': {},
        'pca': {},
    }
    for dim in (384, 768):
        real, synthetic, directions = load(dim)
        iteration0 = np.vstack([real, synthetic])
        sigma = float(np.median(pdist(iteration0)))
        pca2, comps2 = pca_fit(iteration0, 2)
        pcak, compsk = pca_fit(iteration0, PCA_K)
        goldens['pca'][str(dim)] = {
            'bandwidth': sigma,
            'mean': pca2.mean_.tolist(),
            'components2': comps2.tolist(),
            'explained_variance2': pca2.explained_variance_.tolist(),
            'explained_variance_ratio2': pca2.explained_variance_ratio_.tolist(),
            'explained_variance_k': pcak.explained_variance_.tolist(),
        }
        goldens['cases'][f'd{dim}'] = {'dim': dim, 'rows': 'all', **case(real, synthetic, directions, pca2, comps2, pcak, compsk, sigma)}
        goldens['cases'][f'd{dim}_m3'] = {'dim': dim, 'rows': 'first3', **case(real, synthetic[:3], directions, pca2, comps2, pcak, compsk, sigma)}
    with open(os.path.join(OUT, 'goldens.json'), 'w') as f:
        json.dump(goldens, f, indent=None, separators=(',', ':'))
        f.write('\n')
    print('wrote', os.path.normpath(OUT))


if __name__ == '__main__':
    main()

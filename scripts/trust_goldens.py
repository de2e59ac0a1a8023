#!/usr/bin/python3
"""Regenerates tests/fixtures/trust/confirmation_*.json, the reference values of the confirmation test's
unit tests (tests/unit/trust/confirmation.test.ts). Uses Debian's python3-numpy / python3-scipy (call
/usr/bin/python3). The tests themselves need no Python: the JSON files are committed.

    /usr/bin/python3 scripts/trust_goldens.py

Conventions (src/engine/trust): Gaussian kernel k(x, y) = exp(-|x - y|^2 / (2 sigma^2)), sigma the median
pairwise distance (i < j) of the pooled rows; the kernel here comes from scipy's cdist (squared Euclidean),
independently of the TypeScript Gram-matrix route. Unbiased MMD^2 (Gretton et al., JMLR 2012, eq. 3):
  2 S_XX / (n(n-1)) + 2 S_YY / (m(m-1)) - 2 S_XY / (nm),  S over unordered pairs within, all pairs across.
Exact permutation p-value: every one of the C(n+m, n) labelled splits once,
  p = #{splits with MMD^2 >= observed - 1e-12} / C(n+m, n)   (the observed split included; the 1e-12 is
  the TypeScript tie tolerance, so mirror splits with equal statistics count alike).
A Monte Carlo p-value cannot be matched across languages (different random streams); the tests instead
check |p_MC - p_exact| <= 3 sqrt(p_exact (1 - p_exact) / P).

Floor (floorAtSizes): h = min(m, n // 2) held-out real rows vs the other n - h; with C(n, h) <= 1000 all
splits are used, so the type-7 quantile (numpy's default) of their MMD^2 is exact; delta = that quantile
times sqrt(v(n, m) / v(n - h, h)), v(a, b) = 1/(a(a-1)) + 1/(b(b-1)) + 2/(ab).

Detectable-shift units: s = the real rows' sd along their first principal direction u (SVD of the centred
rows, divisor n - 1), and the population MMD^2 between the real set's empirical distribution and its copy
moved by t s u: (2/n^2) sum_{a,b} [k(x_a, x_b) - k(x_a + t s u, x_b)] (the sign of u does not matter).

Cases:
  confirmation_mc.json        n = 12 real, m = 10 synthetic, D = 5; the synthetic rows shifted by 0.6 along
                              the first axis. Exact p over all C(22, 12) = 646,646 splits; MMD^2; the floor
                              at m = 10 (924 splits of 6 vs 6); s and the shift MMD^2 at t = 0.25, 0.5, 1, 2.
  confirmation_tiny_null.json n = 4, m = 4, D = 3, both from one distribution: exact p over 70 splits.
  confirmation_tiny_shift.json n = 4, m = 4, D = 3, synthetic far away: the observed split and its mirror
                              image share the largest MMD^2, so p = 2/70 exactly (a tie test).
"""
import itertools
import json
import math
import os

import numpy as np
from scipy.spatial.distance import cdist, pdist

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'trust')
TIE = 1e-12


def kernel(a, b, sigma):
    return np.exp(-cdist(a, b, 'sqeuclidean') / (2 * sigma * sigma))


def mmd2_unbiased(kxx, kyy, kxy):
    n, m = kxx.shape[0], kyy.shape[0]
    sxx = (kxx.sum() - np.trace(kxx)) / 2
    syy = (kyy.sum() - np.trace(kyy)) / 2
    return 2 * sxx / (n * (n - 1)) + 2 * syy / (m * (m - 1)) - 2 * kxy.sum() / (n * m)


def split_statistics(k, n, chunk=100_000):
    """Unbiased MMD^2 of every labelled split of the pooled kernel k into n 'real' and the rest."""
    size = k.shape[0]
    m = size - n
    k0 = k - np.diag(np.diag(k))
    out = []
    combos = itertools.combinations(range(size), n)
    while True:
        block = np.array(list(itertools.islice(combos, chunk)), dtype=np.int64)
        if block.size == 0:
            break
        z = np.zeros((block.shape[0], size))
        z[np.arange(block.shape[0])[:, None], block] = 1.0
        w = 1.0 - z
        kz = z @ k0
        kw = w @ k0
        sxx = np.einsum('ij,ij->i', kz, z) / 2
        syy = np.einsum('ij,ij->i', kw, w) / 2
        sxy = np.einsum('ij,ij->i', kz, w)
        out.append(2 * sxx / (n * (n - 1)) + 2 * syy / (m * (m - 1)) - 2 * sxy / (n * m))
    return np.concatenate(out)


def exact_test(real, synthetic, sigma):
    pooled = np.vstack([real, synthetic])
    k = kernel(pooled, pooled, sigma)
    n = real.shape[0]
    observed = mmd2_unbiased(k[:n, :n], k[n:, n:], k[:n, n:])
    stats = split_statistics(k, n)
    count = int(np.sum(stats >= observed - TIE))
    assert len(stats) == math.comb(pooled.shape[0], n)
    return float(observed), count, len(stats)


def v(a, b):
    return 1 / (a * (a - 1)) + 1 / (b * (b - 1)) + 2 / (a * b)


def floor(real, m, sigma, q=0.95):
    n = real.shape[0]
    h = min(m, n // 2)
    k = kernel(real, real, sigma)
    values = []
    for held in itertools.combinations(range(n), h):
        ref = [i for i in range(n) if i not in held]
        values.append(mmd2_unbiased(k[np.ix_(ref, ref)], k[np.ix_(held, held)], k[np.ix_(ref, held)]))
    assert len(values) == math.comb(n, h) <= 1000
    split_q = float(np.quantile(np.array(values), q))
    scale = math.sqrt(v(n, m) / v(n - h, h))
    return {'m': m, 'heldOut': h, 'reference': n - h, 'splits': len(values), 'splitQuantile': split_q,
            'scale': scale, 'delta': split_q * scale}


def shift_units(real, sigma, offsets):
    n = real.shape[0]
    centred = real - real.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    u = vt[0]
    sd = float(s[0] / math.sqrt(n - 1))
    k = kernel(real, real, sigma)
    mmd = {}
    for t in offsets:
        moved = kernel(real + t * sd * u, real, sigma)
        mmd[str(t)] = float(2 * (k.sum() - moved.sum()) / (n * n))
    return sd, mmd


def write(name, payload):
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(payload, f, indent=1)
        f.write('\n')


def case(rng, n, m, d, shift):
    real = rng.standard_normal((n, d))
    synthetic = rng.standard_normal((m, d))
    synthetic[:, 0] += shift
    sigma = float(np.median(pdist(np.vstack([real, synthetic]))))
    return real, synthetic, sigma


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20250611)

    real, synthetic, sigma = case(rng, 12, 10, 5, 0.6)
    mmd2, count, splits = exact_test(real, synthetic, sigma)
    offsets = [0.25, 0.5, 1, 2]
    sd, shift_mmd2 = shift_units(real, sigma, offsets)
    payload = {
        'description': 'n=12, m=10, D=5; synthetic shifted by 0.6 on axis 0 (scripts/trust_goldens.py)',
        'real': real.tolist(), 'synthetic': synthetic.tolist(), 'bandwidth': sigma,
        'mmd2': mmd2, 'exactCount': count, 'exactSplits': splits, 'exactP': count / splits,
        'floor': floor(real, synthetic.shape[0], sigma),
        'principalSd': sd, 'shiftMmd2': shift_mmd2,
    }
    write('confirmation_mc.json', payload)
    print('mc', mmd2, count, splits, count / splits, payload['floor'], sd)

    for name, shift in (('tiny_null', 0.0), ('tiny_shift', 6.0)):
        real, synthetic, sigma = case(rng, 4, 4, 3, shift)
        mmd2, count, splits = exact_test(real, synthetic, sigma)
        write(f'confirmation_{name}.json', {
            'description': f'n=4, m=4, D=3; synthetic shifted by {shift} on axis 0 (scripts/trust_goldens.py)',
            'real': real.tolist(), 'synthetic': synthetic.tolist(), 'bandwidth': sigma,
            'mmd2': mmd2, 'exactCount': count, 'exactSplits': splits, 'exactP': count / splits,
        })
        print(name, mmd2, count, splits)


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""Regenerates tests/fixtures/trust/recipe_*.json, the reference values of the distribution recipe's unit
tests (tests/unit/trust/recipe.test.ts). Uses Debian's python3-numpy / python3-scipy (call /usr/bin/python3).
The tests themselves need no Python: the JSON files are committed.

    /usr/bin/python3 scripts/recipe_goldens.py

The problem (src/engine/trust/recipe.ts): Gaussian kernel k(x, y) = exp(-|x - y|^2 / (2 sigma^2));
  A_jk = mean of k over all pairs of S_j x S_k (diagonal included when j = k: the V-statistic),
  b_j  = mean of k over S_j x R,
  c    = mean of k over the distinct pairs of R (U-statistic),
  minimise f(w) = w'Aw - 2w'b + c over the simplex {w >= 0, sum w = 1}.

The kernel means are computed here independently (scipy.spatial.distance.cdist), and the optimum twice:
  - exactly, by enumerating every support S (2^J - 1 of them, J <= 12): solve the equality-constrained
    KKT system [[2A_SS, 1], [1', 0]] [w; -nu] = [2b_S; 1], keep the solutions with w > 0 and
    g_j = 2(Aw - b)_j >= nu for j outside S, and take the lowest objective;
  - by scipy.optimize.minimize(method='SLSQP', ftol=1e-15) from the uniform point, as a cross-check
    (asserted to agree with the enumeration to 1e-7 in the objective).

Cases:
  recipe_j3.json          J = 3, D = 4, sets of 4/3/5 points, real 12 points drawn between sets 0 and 1;
                          set 2 is far away, so its weight is exactly zero.
  recipe_j6_mixture.json  J = 6, D = 6, sets of 3 points; the real set is two copies of set 1's points and
                          two copies of set 4's (12 points), so its empirical kernel mean embedding is exactly
                          (mu_1 + mu_4)/2: the optimum is w = 1/2 on sets 1 and 4, 0 elsewhere, with
                          f* = c - c_V (c_V the all-pairs mean of R), known in closed form.
  recipe_j12.json         J = 12, D = 8, sets of 3-5 points, real 12 points from a distribution that no
                          set reproduces.
"""
import itertools
import json
import os

import numpy as np
from scipy.optimize import minimize
from scipy.spatial.distance import cdist

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'trust')


def kernel(x, y, sigma):
    return np.exp(-cdist(x, y, 'sqeuclidean') / (2 * sigma * sigma))


def kernel_means(sets, real, sigma):
    J = len(sets)
    A = np.empty((J, J))
    for j in range(J):
        for k in range(J):
            A[j, k] = kernel(sets[j], sets[k], sigma).mean()
    b = np.array([kernel(s, real, sigma).mean() for s in sets])
    K = kernel(real, real, sigma)
    n = len(real)
    c_all = K.mean()
    c = (K.sum() - np.trace(K)) / (n * (n - 1))
    return A, b, c, c_all


def objective(w, A, b, c):
    return float(w @ A @ w - 2 * w @ b + c)


def enumerate_supports(A, b, c):
    J = len(b)
    best = None
    for size in range(1, J + 1):
        for S in itertools.combinations(range(J), size):
            S = list(S)
            s = len(S)
            M = np.zeros((s + 1, s + 1))
            M[:s, :s] = 2 * A[np.ix_(S, S)]
            M[:s, s] = 1
            M[s, :s] = 1
            rhs = np.concatenate([2 * b[S], [1.0]])
            try:
                sol = np.linalg.solve(M, rhs)
            except np.linalg.LinAlgError:
                continue
            if np.linalg.cond(M) > 1e12:
                continue
            wS = sol[:s]
            if np.any(wS <= 0):
                continue
            w = np.zeros(J)
            w[S] = wS
            g = 2 * (A @ w - b)
            nu = float(w @ g)
            if np.min(g) < nu - 1e-11:
                continue
            f = objective(w, A, b, c)
            if best is None or f < best[0] - 1e-15:
                best = (f, w, S, g, nu)
    return best


def slsqp(A, b, c):
    J = len(b)
    res = minimize(lambda w: objective(w, A, b, c), np.full(J, 1 / J), jac=lambda w: 2 * (A @ w - b),
                   method='SLSQP', bounds=[(0, 1)] * J,
                   constraints=[{'type': 'eq', 'fun': lambda w: np.sum(w) - 1, 'jac': lambda w: np.ones(J)}],
                   options={'ftol': 1e-15, 'maxiter': 1000})
    return res


def median_bandwidth(points):
    d = cdist(points, points)
    return float(np.median(d[np.triu_indices(len(points), 1)]))


def case(name, sets, real, note, expected_weights=None):
    pooled = np.vstack(sets + [real])
    sigma = median_bandwidth(pooled)
    A, b, c, c_all = kernel_means(sets, real, sigma)
    f, w, support, g, nu = enumerate_supports(A, b, c)
    res = slsqp(A, b, c)
    assert abs(res.fun - f) < 1e-7, (name, res.fun, f)
    assert np.max(np.abs(res.x - w)) < 1e-4, (name, res.x, w)
    if expected_weights is not None:
        assert np.max(np.abs(w - expected_weights)) < 1e-9, (name, w)
        assert abs(f - (c - c_all)) < 1e-12, (name, f, c - c_all)
    vertex = np.diag(A) - 2 * b + c
    gap = float(w @ g - np.min(g))
    print(f'{name}: J={len(sets)} D={real.shape[1]} sigma={sigma:.6f} support={support} '
          f'f*={f:.15g} slsqp f={res.fun:.15g} (|df|={abs(res.fun - f):.2e}, max|dw|={np.max(np.abs(res.x - w)):.2e}) '
          f'best vertex={int(np.argmin(vertex))} f={np.min(vertex):.15g} gap={gap:.2e}')
    data = {
        'name': name,
        'note': note,
        'bandwidth': sigma,
        'sets': [s.tolist() for s in sets],
        'real': real.tolist(),
        'A': A.tolist(),
        'b': b.tolist(),
        'c': float(c),
        'cAllPairs': float(c_all),
        'weights': w.tolist(),
        'support': support,
        'objective': f,
        'gradient': g.tolist(),
        'multiplier': nu,
        'bestSingle': {'index': int(np.argmin(vertex)), 'mmd2': float(np.min(vertex))},
        'slsqp': {'weights': res.x.tolist(), 'objective': float(res.fun)},
    }
    with open(os.path.join(OUT, f'{name}.json'), 'w') as fh:
        json.dump(data, fh, indent=1)
        fh.write('\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240610)

    # J = 3: real between sets 0 and 1; set 2 far away.
    D = 4
    means = [np.array([0.0, 0, 0, 0]), np.array([1.2, 0.4, 0, 0]), np.array([4.0, 4.0, 4.0, 4.0])]
    sizes = [4, 3, 5]
    sets = [m + 0.5 * rng.standard_normal((n, D)) for m, n in zip(means, sizes)]
    real = np.array([0.5, 0.2, 0, 0]) + 0.6 * rng.standard_normal((12, D))
    case('recipe_j3', sets, real, 'real between sets 0 and 1; set 2 far away (weight exactly 0)')

    # J = 6: the real set is an exact 50/50 mixture of sets 1 and 4 (each point twice).
    D = 6
    centres = 1.5 * rng.standard_normal((6, D))
    sets = [c + 0.4 * rng.standard_normal((3, D)) for c in centres]
    real = np.vstack([sets[1], sets[1], sets[4], sets[4]])
    expected = np.zeros(6)
    expected[[1, 4]] = 0.5
    case('recipe_j6_mixture', sets, real,
         'real = two copies of set 1 and two of set 4: optimum w_1 = w_4 = 1/2, f* = c - cAllPairs', expected)

    # J = 12: no set reproduces the real distribution.
    D = 8
    sizes = [3, 4, 5, 3, 4, 5, 3, 4, 5, 3, 4, 5]
    centres = rng.standard_normal((12, D))
    sets = [c + 0.5 * rng.standard_normal((n, D)) for c, n in zip(centres, sizes)]
    real = 0.3 * np.ones(D) + 0.7 * rng.standard_normal((12, D))
    case('recipe_j12', sets, real, 'twelve sets around random centres; real from a distribution none reproduces')


if __name__ == '__main__':
    main()

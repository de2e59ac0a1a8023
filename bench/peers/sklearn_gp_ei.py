#!/usr/bin/python3
"""scikit-learn GP-EI peer for bench/bo.ts, a classic BO loop (as scikit-optimize's gp_minimize):
GaussianProcessRegressor(Constant × Matérn-5/2 ARD + White, normalize_y=True, 2 optimizer restarts) on
the unit cube with one-hot categoricals; EI with the lowest observation as incumbent, maximised over the
continuous relaxation by 4,096 random candidates + L-BFGS-B from the best 3, then integers rounded and
categoricals set to the largest one-hot coordinate. Batches by Kriging believer: each chosen point is
added with its predicted mean and the GP is refitted at fixed hyperparameters. Recommendation = the
evaluated point with the lowest posterior mean. Requires Debian's python3-sklearn (1.2)."""
import warnings

import numpy as np
from scipy.optimize import minimize
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

from peer_protocol import serve, to_plain

warnings.filterwarnings('ignore', category=ConvergenceWarning)
warnings.filterwarnings('ignore', category=RuntimeWarning)


class Encoding:
    def __init__(self, space):
        self.space = space
        self.width = [len(p['choices']) if p['kind'] == 'categorical' else 1 for p in space]
        self.dim = sum(self.width)

    def encode(self, params):
        out = []
        for p in self.space:
            v = params[p['name']]
            if p['kind'] == 'categorical':
                out += [1.0 if c == v else 0.0 for c in p['choices']]
            else:
                out.append(0.5 if p['high'] == p['low'] else (v - p['low']) / (p['high'] - p['low']))
        return np.array(out)

    def round(self, x):
        """Snap a relaxed point to the space: integers rounded, categoricals one-hot at the argmax."""
        x = np.clip(np.array(x, dtype=float), 0, 1)
        k = 0
        for p, w in zip(self.space, self.width):
            if p['kind'] == 'categorical':
                block = np.zeros(w)
                block[int(np.argmax(x[k:k + w]))] = 1
                x[k:k + w] = block
            elif p['kind'] == 'integer' and p['high'] > p['low']:
                levels = p['high'] - p['low']
                x[k] = np.round(x[k] * levels) / levels
            k += w
        return x

    def decode(self, x):
        out = {}
        k = 0
        for p, w in zip(self.space, self.width):
            if p['kind'] == 'categorical':
                out[p['name']] = p['choices'][int(np.argmax(x[k:k + w]))]
            else:
                v = p['low'] + float(x[k]) * (p['high'] - p['low'])
                out[p['name']] = int(round(v)) if p['kind'] == 'integer' else min(p['high'], max(p['low'], v))
            k += w
        return out

    def random(self, rng, n):
        x = rng.random((n, self.dim))
        return np.array([self.round(r) if any(p['kind'] != 'continuous' for p in self.space) else r for r in x])


def expected_improvement(gp, X, best):
    mu, std = gp.predict(X, return_std=True)
    std = np.maximum(std, 1e-12)
    z = (best - mu) / std
    return (best - mu) * norm.cdf(z) + std * norm.pdf(z)


class GpEiPeer:
    def __init__(self, space, seed, batch_size):
        self.enc = Encoding(space)
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.batch_size = batch_size
        self.X = np.zeros((0, self.enc.dim))
        self.y = np.zeros(0)
        self.pending = []
        self.gp = None

    def tell(self, params, values):
        points = [self.enc.encode(p) for p in params] if params is not None else self.pending
        self.X = np.vstack([self.X, np.array(points)])
        self.y = np.concatenate([self.y, np.array(values, dtype=float)])
        self.pending = []
        self.gp = None

    def fit(self):
        kernel = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(np.ones(self.enc.dim), (1e-3, 1e3), nu=2.5) + \
            WhiteKernel(1e-4, (1e-8, 1e1))
        self.gp = GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=2,
                                           random_state=int(self.rng.integers(1 << 31))).fit(self.X, self.y)

    def recommend(self):
        if self.gp is None:
            self.fit()
        return self.enc.decode(self.X[int(np.argmin(self.gp.predict(self.X)))])

    def ask(self):
        if self.gp is None:
            self.fit()
        gp, X, y = self.gp, self.X, self.y
        batch = []
        for _ in range(self.batch_size):
            best = y.min()
            candidates = self.enc.random(self.rng, 4096)
            ei = expected_improvement(gp, candidates, best)
            starts = candidates[np.argsort(-ei)[:3]]
            chosen, chosen_ei = starts[0], -np.inf
            for s in starts:
                result = minimize(lambda v: -expected_improvement(gp, v.reshape(1, -1), best)[0], s,
                                  method='L-BFGS-B', bounds=[(0, 1)] * self.enc.dim, options={'maxiter': 30})
                x = self.enc.round(result.x)
                value = expected_improvement(gp, x.reshape(1, -1), best)[0]
                if value > chosen_ei:
                    chosen, chosen_ei = x, value
            batch.append(chosen)
            believed = gp.predict(chosen.reshape(1, -1))[0]
            X = np.vstack([X, chosen])
            y = np.append(y, believed)
            gp = GaussianProcessRegressor(gp.kernel_, optimizer=None, normalize_y=True).fit(X, y)
        self.pending = batch
        return [{k: to_plain(v) for k, v in self.enc.decode(x).items()} for x in batch]


if __name__ == '__main__':
    serve(GpEiPeer)

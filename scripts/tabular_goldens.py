#!/usr/bin/python3
"""Golden values for the tabular metric suite, from numpy / scipy / scikit-learn.

Run with Debian's interpreter (the one that has python3-numpy, python3-scipy, python3-sklearn and
python3-yaml; the `python3` first on PATH here does not see them):

    /usr/bin/python3 scripts/tabular_goldens.py

It writes, under tests/fixtures/tabular/:
  birthwt_missing.csv   birthwt.csv with about 4 % of some columns' cells blanked (missing values);
  fgl_synthetic.csv     a perturbed glass table: resampled rows + noise, Mg shifted, negatives, copies of
                        real rows, missing cells, a category the real table lacks;
  birthwt_synthetic.csv a perturbed birthwt table: jittered integers, resampled race, `low` wrong on a few
                        rows, missing cells, copies;
  wine_synthetic.csv    a perturbed wine table, 1.5x the real size, class_2 under-represented;
  goldens.json          every reference value the unit tests compare with, and the random draws they
                        need to reproduce (split, folds, subsamples, uniform rows) — our seeded draws use
                        another generator, so the tests pass these in explicitly.
The tests read only these files; they never run Python.

Definitions (docs/tabular.md; each is also stated in src/domains/tabular/metrics):
  cells: trimmed; '', NA, NaN, null are missing; numeric columns hold floats (missing = nan);
  KS: scipy.stats.ks_2samp on each column's present values (method auto); median = np.median;
  TV and contingency: frequencies over all rows, a missing cell a category of its own; numeric columns
    in 10 bins with interior edges min + k*((max-min)/10), k = 1..9, of train's present values;
  correlations: per pair, on the rows where both are present (Pearson: np.corrcoef; Spearman:
    scipy.stats.spearmanr); pairs with an undefined train rho are dropped, an undefined synthetic rho
    counts as 0;
  features: StandardScaler on numeric columns (missing -> 0 after scaling), one-hot over train's sorted
    categories plus a 'missing' category when train has missing cells (unknown -> all zeros);
  MMD^2: unbiased, Gaussian kernel, sigma = median pdist of train features (sklearn rbf_kernel with
    gamma = 1/(2 sigma^2));
  detection: LogisticRegression(C=1) fitted to convergence (tol 1e-12) per fold, mean per-fold ROC AUC
    (sklearn roc_auc_score), synthetic positive;
  distance: per numeric column min(1, |d|/range_train), categorical 0/1, missing-missing 0,
    missing-value 1, mean over columns (numpy broadcasting, independent of our code);
  near-dup epsilon: np.percentile of train's leave-one-out nearest distances at 5 (linear);
  physics: slack(x) = 1e-9 * max(1, |x|) on windows and non-strict inequalities, strict ones exact.
"""
import csv
import io
import json
import math
import os
import re

import numpy as np
import scipy
import scipy.stats
import sklearn
import yaml
from scipy.spatial.distance import pdist
from scipy.special import smirnov
from scipy.stats import kstwo
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'tests', 'fixtures', 'tabular')
SEED = 20250118
MISSING = {'', 'NA', 'NaN', 'null'}
NUMBER = re.compile(r'^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$')


# ---------------------------------------------------------------------------------------------- tables

def read_csv(name, categorical=()):
    """{'names', 'numeric': {name: float array}, 'categorical': {name: list of str|None}} in file order."""
    with open(os.path.join(OUT, name), newline='', encoding='utf-8') as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0]]
    body = [[c.strip() for c in r] for r in rows[1:] if r]
    table = {'names': header, 'kinds': {}, 'numeric': {}, 'categorical': {}, 'n': len(body)}
    for j, name in enumerate(header):
        cells = [r[j] for r in body]
        present = [c for c in cells if c not in MISSING]
        if name not in categorical and all(NUMBER.match(c) for c in present):
            table['kinds'][name] = 'numeric'
            table['numeric'][name] = np.array([float('nan') if c in MISSING else float(c) for c in cells])
        else:
            table['kinds'][name] = 'categorical'
            table['categorical'][name] = [None if c in MISSING else c for c in cells]
    return table


def take(table, idx):
    out = {k: table[k] for k in ('names', 'kinds')}
    out['numeric'] = {k: v[idx] for k, v in table['numeric'].items()}
    out['categorical'] = {k: [v[i] for i in idx] for k, v in table['categorical'].items()}
    out['n'] = len(idx)
    return out


def numeric_names(t):
    return [n for n in t['names'] if t['kinds'][n] == 'numeric']


def categorical_names(t):
    return [n for n in t['names'] if t['kinds'][n] == 'categorical']


def fmt(v, decimals):
    if isinstance(v, float) and math.isnan(v):
        return ''
    if decimals is None:
        return repr(float(v))
    if decimals == 0:
        return str(int(round(v)))
    return repr(round(float(v), decimals))


def write_csv(name, header, columns, decimals):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\n')
    w.writerow(header)
    n = len(columns[header[0]])
    for i in range(n):
        row = []
        for h in header:
            v = columns[h][i]
            row.append('' if v is None else (v if isinstance(v, str) else fmt(v, decimals[h])))
        w.writerow(row)
    with open(os.path.join(OUT, name), 'w', encoding='utf-8') as f:
        f.write(buf.getvalue())


def raw_columns(name):
    with open(os.path.join(OUT, name), newline='', encoding='utf-8') as f:
        rows = list(csv.reader(f))
    header = rows[0]
    return header, {h: [r[j] for r in rows[1:]] for j, h in enumerate(header)}


# -------------------------------------------------------------------------------------------- fixtures

def make_fixtures(rng):
    # birthwt with missing cells.
    header, cols = raw_columns('birthwt.csv')
    n = len(cols['low'])
    for name in ('age', 'lwt', 'race', 'ftv', 'bwt'):
        for i in rng.choice(n, size=int(round(0.04 * n)), replace=False):
            cols[name][i] = 'NA' if name != 'race' else ''
    write_csv('birthwt_missing.csv', header, cols, {h: 0 for h in header})

    # fgl synthetic.
    header, cols = raw_columns('fgl.csv')
    n = len(cols['type'])
    num = header[:9]
    x = np.array([[float(v) for v in cols[h]] for h in num]).T
    m = 200
    pick = rng.integers(0, n, size=m)
    sd = x.std(axis=0)
    y = x[pick] + rng.standard_normal((m, 9)) * 0.08 * sd
    y[:, 2] += 0.3  # Mg shifted
    y[:5] = x[pick[:5]]  # exact copies of real rows
    types = [cols['type'][i] for i in pick]
    for i in rng.choice(np.arange(5, m), size=12, replace=False):
        types[i] = ['WinF', 'WinNF', 'Head', 'Veh', 'Con', 'Tabl'][rng.integers(0, 6)]
    types[7] = 'Unknown'
    out = {h: [float(v) for v in y[:, k]] for k, h in enumerate(num)}
    out['type'] = types
    for (i, h) in ((10, 'K'), (11, 'Na'), (12, 'RI')):
        out[h][i] = float('nan')
    # copies keep the real text exactly
    for i in range(5):
        for h in num:
            out[h][i] = float(cols[h][pick[i]])
    write_csv('fgl_synthetic.csv', header, out, {**{h: None for h in num}, 'type': 0})

    # birthwt synthetic (from the table with missing cells).
    header, cols = raw_columns('birthwt_missing.csv')
    n = len(cols['low'])
    m = 150
    pick = rng.integers(0, n, size=m)
    out = {}
    for h in header:
        v = [cols[h][i] for i in pick]
        out[h] = [float('nan') if c in MISSING else float(c) for c in v]
    for h, scale in (('age', 2.0), ('lwt', 8.0), ('bwt', 150.0)):
        out[h] = [v + round(float(rng.standard_normal()) * scale) for v in out[h]]
    out['race'] = [None if math.isnan(v) else str(int(v)) for v in out['race']]
    for i in rng.choice(np.arange(4, m), size=15, replace=False):
        out['race'][i] = ['1', '2', '3'][rng.integers(0, 3)]
    out['low'] = [float('nan') if math.isnan(b) else (1.0 if b < 2500 else 0.0) for b in out['bwt']]
    for i in (20, 21, 22):  # the derived rule broken on three rows
        if not math.isnan(out['low'][i]):
            out['low'][i] = 1.0 - out['low'][i]
    for i in range(4):  # exact copies
        for h in header:
            c = cols[h][pick[i]]
            out[h][i] = (None if c in MISSING else c) if h == 'race' else (float('nan') if c in MISSING else float(c))
    out['lwt'][30] = -5.0  # a negative in a non-negative column
    write_csv('birthwt_synthetic.csv', header, out, {h: 0 for h in header})

    # wine synthetic.
    header, cols = raw_columns('wine.csv')
    n = len(cols['target'])
    num = header[:13]
    x = np.array([[float(v) for v in cols[h]] for h in num]).T
    cls = np.array(cols['target'])
    weights = np.where(cls == 'class_2', 0.3, 1.0)
    weights /= weights.sum()
    m = int(1.5 * n)
    pick = rng.choice(n, size=m, p=weights)
    sd = x.std(axis=0)
    y = x[pick] + rng.standard_normal((m, 13)) * 0.25 * sd
    y[:, 0] *= 1.02
    out = {h: [float(v) for v in y[:, k]] for k, h in enumerate(num)}
    out['target'] = [cls[i] for i in pick]
    write_csv('wine_synthetic.csv', header, out, {**{h: 4 for h in num}, 'magnesium': 0, 'proline': 0, 'target': 0})


# ------------------------------------------------------------------------------------------- metrics

def ks(train, synth):
    rows = []
    for name in numeric_names(train):
        a = train['numeric'][name]
        b = synth['numeric'][name]
        a = a[~np.isnan(a)]
        b = b[~np.isnan(b)]
        r = scipy.stats.ks_2samp(a, b)
        rows.append({'column': name, 'statistic': float(r.statistic), 'p': float(r.pvalue)})
    return rows


def frequencies(values):
    keys = ['\0missing' if v is None else v for v in values]
    out = {}
    for k in keys:
        out[k] = out.get(k, 0) + 1
    return {k: c / len(keys) for k, c in out.items()}


def tv_complement(train, synth):
    names = categorical_names(train)
    if not names:
        return None
    vals = []
    for name in names:
        p = frequencies(train['categorical'][name])
        q = frequencies(synth['categorical'][name])
        keys = set(p) | set(q)
        vals.append(1 - 0.5 * sum(abs(p.get(k, 0) - q.get(k, 0)) for k in keys))
    return float(np.mean(vals))


def pair_rhos(t, method):
    names = numeric_names(t)
    out = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            x = t['numeric'][names[i]]
            y = t['numeric'][names[j]]
            ok = ~np.isnan(x) & ~np.isnan(y)
            x, y = x[ok], y[ok]
            if len(x) < 2 or np.all(x == x[0]) or np.all(y == y[0]):
                out.append(float('nan'))
            elif method == 'pearson':
                out.append(float(np.corrcoef(x, y)[0, 1]))
            else:
                out.append(float(scipy.stats.spearmanr(x, y).correlation))
    return out


def corr_mae(train, synth, method='pearson'):
    rt = pair_rhos(train, method)
    rs = pair_rhos(synth, method)
    d = [abs((0.0 if math.isnan(s) else s) - t) for t, s in zip(rt, rs) if not math.isnan(t)]
    return float(np.mean(d)) if d else None


def contingency_keys(t, train):
    keys = []
    for name in numeric_names(train):
        v = train['numeric'][name]
        v = v[~np.isnan(v)]
        lo, hi = v.min(), v.max()
        step = (hi - lo) / 10
        edges = np.array([lo + (k + 1) * step for k in range(9)]) if step > 0 else np.array([])
        col = t['numeric'][name]
        keys.append(['\0missing' if math.isnan(x) else str(int(np.sum(edges <= x))) for x in col])
    for name in categorical_names(train):
        keys.append(['\0missing' if v is None else v for v in t['categorical'][name]])
    return keys


def contingency_similarity(train, synth):
    kt = contingency_keys(train, train)
    ks_ = contingency_keys(synth, train)
    vals = []
    for i in range(len(kt)):
        for j in range(i + 1, len(kt)):
            p = frequencies([a + '\1' + b for a, b in zip(kt[i], kt[j])])
            q = frequencies([a + '\1' + b for a, b in zip(ks_[i], ks_[j])])
            keys = set(p) | set(q)
            vals.append(1 - 0.5 * sum(abs(p.get(k, 0) - q.get(k, 0)) for k in keys))
    return float(np.mean(vals)) if vals else None


class Features:
    def __init__(self, train):
        self.num = numeric_names(train)
        self.cat = categorical_names(train)
        x = np.column_stack([train['numeric'][n] for n in self.num]) if self.num else np.zeros((train['n'], 0))
        self.scaler = StandardScaler().fit(x)  # ignores nan in fit
        self.levels = []
        for n in self.cat:
            v = train['categorical'][n]
            lv = sorted({c for c in v if c is not None})
            if any(c is None for c in v):
                lv.append(None)
            self.levels.append(lv)

    def __call__(self, t):
        parts = []
        if self.num:
            x = np.column_stack([t['numeric'][n] for n in self.num])
            z = self.scaler.transform(x)
            z[np.isnan(z)] = 0.0
            parts.append(z)
        for n, lv in zip(self.cat, self.levels):
            v = t['categorical'][n]
            parts.append(np.array([[1.0 if c == l else 0.0 for l in lv] for c in v]).reshape(len(v), len(lv)))
        return np.hstack(parts)


def mmd2(xf, yf):
    sigma = float(np.median(pdist(xf)))
    g = 1.0 / (2 * sigma * sigma)
    kxx = rbf_kernel(xf, xf, gamma=g)
    kyy = rbf_kernel(yf, yf, gamma=g)
    kxy = rbf_kernel(xf, yf, gamma=g)
    n, m = len(xf), len(yf)
    v = (kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean()
    return sigma, float(v)


def logistic(x, y):
    # Newton-Cholesky to a tight tolerance: the default lbfgs stops at scipy's relative-decrease test
    # with gradients of ~1e-3 left, 1e-4 away from the optimum in the coefficients.
    return LogisticRegression(C=1.0, solver='newton-cholesky', tol=1e-12, max_iter=1000).fit(x, y)


def detection(xf, yf, folds):
    x = np.vstack([xf, yf])
    y = np.r_[np.zeros(len(xf)), np.ones(len(yf))]
    aucs = []
    for f in range(int(folds.max()) + 1):
        test = folds == f
        model = logistic(x[~test], y[~test])
        aucs.append(float(roc_auc_score(y[test], model.decision_function(x[test]))))
    return float(np.mean(aucs)), aucs


def distance_matrix(a, b, train):
    """docs/tabular.md's distances between every row of a and every row of b (numpy, broadcasting)."""
    total = np.zeros((a['n'], b['n']))
    cols = 0
    for name in numeric_names(train):
        v = train['numeric'][name]
        v = v[~np.isnan(v)]
        rng_ = v.max() - v.min()
        x = a['numeric'][name][:, None]
        y = b['numeric'][name][None, :]
        with np.errstate(invalid='ignore'):
            d = np.minimum(1.0, np.abs(x - y) / rng_) if rng_ > 0 else (x != y).astype(float)
        xm, ym = np.isnan(x), np.isnan(y)
        d = np.where(xm & ym, 0.0, np.where(xm | ym, 1.0, d))
        total += d
        cols += 1
    for name in categorical_names(train):
        x = np.array(a['categorical'][name], dtype=object)[:, None]
        y = np.array(b['categorical'][name], dtype=object)[None, :]
        total += (x != y).astype(float)
        cols += 1
    return total / cols


def row_tuples(t, train):
    rows = []
    for i in range(t['n']):
        r = [('nan' if math.isnan(t['numeric'][n][i]) else repr(float(t['numeric'][n][i]))) for n in numeric_names(train)]
        r += [t['categorical'][n][i] for n in categorical_names(train)]
        rows.append(tuple(r))
    return rows


def dup_rate(train, synth):
    keys = set(row_tuples(train, train))
    return float(np.mean([r in keys for r in row_tuples(synth, train)]))


def new_row_synthesis(train, synth):
    match = np.ones((synth['n'], train['n']), dtype=bool)
    for name in numeric_names(train):
        v = synth['numeric'][name][:, None]
        t = train['numeric'][name][None, :]
        with np.errstate(invalid='ignore'):
            ok = np.abs(t - v) <= 0.01 * np.abs(v)
        vm, tm = np.isnan(v), np.isnan(t)
        match &= np.where(vm | tm, vm & tm, ok)
    for name in categorical_names(train):
        v = np.array(synth['categorical'][name], dtype=object)[:, None]
        t = np.array(train['categorical'][name], dtype=object)[None, :]
        match &= (v == t)
    return float(np.mean(~match.any(axis=1)))


def slack(*xs):
    return 1e-9 * max([1.0] + [abs(x) for x in xs])


def physics(t, spec, train, target, class_column):
    """sum_error_max, negatives, constraint_violations, target_in_range, class_balance_ratio."""
    num = t['numeric']
    n = t['n']
    broken = np.zeros(n, dtype=bool)
    out = {}
    groups = spec.get('sum_groups') or []
    if groups:
        worst = 0.0
        for g in groups:
            s = sum(num[c] for c in g['columns'])
            lo, hi = g['low'], g['high']
            ex = np.where(s < lo - slack(lo), lo - s, np.where(s > hi + slack(hi), s - hi, 0.0))
            ex = np.where(np.isnan(s), 0.0, ex)
            worst = max(worst, float(ex.max()))
            broken |= ex > 0
        out['sum_error_max'] = worst
    for c, b in (spec.get('bounds') or {}).items():
        lo = b.get('low', -np.inf)
        hi = b.get('high', np.inf)
        v = num[c]
        with np.errstate(invalid='ignore'):
            broken |= (v < lo - slack(lo)) | (v > hi + slack(hi))
    nonneg = spec.get('nonnegative') or []
    if nonneg:
        with np.errstate(invalid='ignore'):
            out['negatives'] = int(sum(int(np.sum(num[c] < 0)) for c in nonneg))
            for c in nonneg:
                broken |= num[c] < 0
    for text in spec.get('inequalities') or []:
        left, op, right = text.split(' ')
        a, b = num[left], num[right]
        with np.errstate(invalid='ignore'):
            ok = {'<=': a <= b + np.maximum(1, np.maximum(abs(a), abs(b))) * 1e-9,
                  '>=': a + np.maximum(1, np.maximum(abs(a), abs(b))) * 1e-9 >= b, '<': a < b, '>': a > b}[op]
        broken |= ~ok & ~np.isnan(a) & ~np.isnan(b)
    for d in spec.get('derived') or []:
        left, op, right = d['rule'].split(' ')
        a = num[left]
        b = float(right)
        with np.errstate(invalid='ignore'):
            want = {'<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b}[op].astype(float)
        have = num[d['column']]
        broken |= ~np.isnan(a) & ~np.isnan(have) & (have != want)
    if spec:
        out['constraint_violations'] = int(broken.sum())
    if target is not None:
        tv = train['numeric'][target]
        tv = tv[~np.isnan(tv)]
        sv = num[target]
        sv = sv[~np.isnan(sv)]
        out['target_in_range'] = float(np.mean((sv >= tv.min()) & (sv <= tv.max())))
    if class_column is not None:
        classes = sorted({c for c in train['categorical'][class_column] if c is not None})
        counts = [sum(1 for c in t['categorical'][class_column] if c == k) for k in classes]
        out['class_balance_ratio'] = (max(counts) / min(counts)) if min(counts) > 0 else 'Infinity'
    return out


def privacy(train, holdout, synth, rng):
    d_st = distance_matrix(synth, train, train)
    dcr = d_st.min(axis=1)
    d_tt = distance_matrix(train, train, train)
    np.fill_diagonal(d_tt, np.inf)
    eps = float(np.percentile(d_tt.min(axis=1), 5))
    out = {
        'dup_rate': dup_rate(train, synth),
        'new_row_synthesis': new_row_synthesis(train, synth),
        'near_dup_epsilon': eps,
        'near_dup_rate': float(np.mean(dcr <= eps)),
        'dcr_median': float(np.median(dcr)),
    }
    # Baseline: uniform rows in train's ranges and categories, drawn here and handed to the test.
    m = synth['n']
    rnd = {'names': train['names'], 'kinds': train['kinds'], 'numeric': {}, 'categorical': {}, 'n': m}
    for name in numeric_names(train):
        v = train['numeric'][name]
        v = v[~np.isnan(v)]
        rnd['numeric'][name] = rng.uniform(v.min(), v.max(), size=m).round(6)
    for name in categorical_names(train):
        lv = sorted({c for c in train['categorical'][name] if c is not None})
        rnd['categorical'][name] = [lv[k] for k in rng.integers(0, len(lv), size=m)]
    base = float(np.median(distance_matrix(rnd, train, train).min(axis=1)))
    out['uniform_rows'] = {'numeric': {k: v.tolist() for k, v in rnd['numeric'].items()}, 'categorical': rnd['categorical']}
    out['dcr_baseline_protection'] = min(float(np.median(dcr)) / base, 1.0)
    # Overfitting protection with train subsampled to the holdout's size.
    sub = np.sort(rng.choice(train['n'], size=min(train['n'], holdout['n']), replace=False))
    to_train = distance_matrix(synth, take(train, sub), train).min(axis=1)
    to_hold = distance_matrix(synth, holdout, train).min(axis=1)
    out['overfitting_subsample'] = sub.tolist()
    out['dcr_overfitting_protection'] = min(2 * (1 - float(np.mean(to_train < to_hold))), 1.0)
    # Membership inference: 5 size-matched draws of members.
    k = min(train['n'], holdout['n'])
    d_hs = distance_matrix(holdout, synth, train).min(axis=1)
    d_ts = distance_matrix(train, synth, train).min(axis=1)
    draws, aucs = [], []
    for _ in range(5):
        members = np.sort(rng.choice(train['n'], size=k, replace=False))
        y = np.r_[np.ones(k), np.zeros(holdout['n'])]
        s = np.r_[-d_ts[members], -d_hs]
        draws.append(members.tolist())
        aucs.append(float(roc_auc_score(y, s)))
    out['mia_members'] = draws
    out['mia_draws'] = aucs
    out['mia_auc'] = float(np.mean(aucs))
    out['mia_spread'] = float(np.std(aucs, ddof=1))
    return out


def folds_for(n_real, n_synth, rng):
    folds = np.empty(n_real + n_synth, dtype=int)
    for offset, count in ((0, n_real), (n_real, n_synth)):
        order = rng.permutation(count)
        folds[offset + order] = np.arange(count) % 5
    return folds


def metrics_for(train, holdout, synth, spec, target, class_column, rng):
    out = {}
    k = ks(train, synth)
    out['ks_columns'] = k
    out['ks_mean'] = float(np.mean([r['statistic'] for r in k]))
    out['ks_median_p'] = float(np.median([r['p'] for r in k]))
    out['tv_complement_mean'] = tv_complement(train, synth)
    out['corr_mae'] = corr_mae(train, synth)
    out['corr_mae_spearman'] = corr_mae(train, synth, 'spearman')
    out['contingency_similarity'] = contingency_similarity(train, synth)
    feats = Features(train)
    xf, yf = feats(train), feats(synth)
    out['bandwidth'], out['mmd2'] = mmd2(xf, yf)
    # Detection: equal sizes (the larger side subsampled here), stratified folds drawn here.
    kk = min(len(xf), len(yf))
    rows_real = np.sort(rng.choice(len(xf), size=kk, replace=False)) if len(xf) > kk else np.arange(len(xf))
    rows_synth = np.sort(rng.choice(len(yf), size=kk, replace=False)) if len(yf) > kk else np.arange(len(yf))
    folds = folds_for(kk, kk, rng)
    out['detection'] = {'real_rows': rows_real.tolist(), 'synthetic_rows': rows_synth.tolist(), 'folds': folds.tolist()}
    out['detection_auc'], out['detection_fold_aucs'] = detection(xf[rows_real], yf[rows_synth], folds)
    out.update(physics(synth, spec, train, target, class_column))
    out.update(privacy(train, holdout, synth, rng))
    return out


def floor_for(train, holdout, spec, target, class_column):
    """The deterministic metrics with the holdout in the synthetic table's place."""
    k = ks(train, holdout)
    feats = Features(train)
    out = {
        'ks_mean': float(np.mean([r['statistic'] for r in k])),
        'ks_median_p': float(np.median([r['p'] for r in k])),
        'tv_complement_mean': tv_complement(train, holdout),
        'corr_mae': corr_mae(train, holdout),
        'contingency_similarity': contingency_similarity(train, holdout),
        'mmd2': mmd2(feats(train), feats(holdout))[1],
        'dup_rate': dup_rate(train, holdout),
        'new_row_synthesis': new_row_synthesis(train, holdout),
    }
    out.update(physics(holdout, spec, train, target, class_column))
    d = distance_matrix(holdout, train, train).min(axis=1)
    out['dcr_median'] = float(np.median(d))
    return out


CASES = [
    # name, real, synthetic, categorical overrides, constraints file, numeric target, class column
    ('fgl', 'fgl.csv', 'fgl_synthetic.csv', (), 'fgl_constraints.yaml', None, 'type'),
    ('birthwt', 'birthwt_missing.csv', 'birthwt_synthetic.csv', ('race',), 'birthwt_constraints.yaml', 'bwt', 'race'),
    ('wine', 'wine.csv', 'wine_synthetic.csv', (), None, None, 'target'),
]


def park_miller_sample(n, seed, shift, decimals):
    """n values of (u1 + u2 + u3 + u4 - 2M)/M * 1.7 + shift rounded to `decimals`, from the Park-Miller
    generator (state * 16807 mod 2^31 - 1; exact in doubles, so the TypeScript test draws the same
    values) — roughly normal, with ties at small `decimals`."""
    state = seed
    m = 2147483647
    out = []
    for _ in range(n):
        total = 0
        for _ in range(4):
            state = state * 16807 % m
            total += state
        out.append(round((total - 2 * m) / m * 1.7 + shift, decimals))
    return np.array(out)


KS_CASES = [(5, 5, 0.0, 2), (10, 7, 0.5, 2), (43, 171, 0.2, 2), (171, 171, 0.1, 2), (100, 100, 0.0, 1), (40, 60, 1.0, 3),
            (150, 1000, 0.0, 2), (3000, 9000, 0.05, 2), (171, 20000, 0.05, 2), (171, 20000, 0.3, 2), (200, 20000, 0.01, 3),
            (12000, 11000, 0.02, 2), (9000, 9000, 0.03, 2), (500, 10000, 0.0, 4), (500, 10001, 0.0, 4)]


def ks_reference():
    """ks_2samp across its branches (exact equal / unequal sizes, asymptotic, ties), and kstwo.sf /
    smirnov on a grid covering every method of kolmogn."""
    cases = []
    for k, (n1, n2, shift, decimals) in enumerate(KS_CASES):
        a = park_miller_sample(n1, 1000 + 2 * k, 0.0, decimals)
        b = park_miller_sample(n2, 1001 + 2 * k, shift, decimals)
        r = scipy.stats.ks_2samp(a, b)
        cases.append({'n1': n1, 'n2': n2, 'seed1': 1000 + 2 * k, 'seed2': 1001 + 2 * k, 'shift': shift, 'decimals': decimals,
                      'statistic': float(r.statistic), 'p': float(r.pvalue)})
    grid = [{'n': n, 'x': x, 'sf': float(kstwo.sf(x, n))}
            for n in (1, 2, 5, 10, 50, 139, 140, 141, 170, 500, 5000, 100000, 200000)
            for x in (0.001, 0.01, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.6, 0.9, 0.999)]
    sm = [{'n': n, 'x': x, 'sf': float(smirnov(n, x))} for n in (2, 5, 20, 170, 1000, 5000) for x in (0.05, 0.1, 0.2, 0.3, 0.5, 0.7)]
    return {'ks_2samp': cases, 'kstwo_sf': grid, 'smirnov': sm}


def main():
    rng = np.random.default_rng(SEED)
    make_fixtures(rng)
    goldens = {'versions': {'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__}, 'cases': {}}
    for name, real_file, synth_file, cats, cons_file, target, class_column in CASES:
        real = read_csv(real_file, cats)
        synth = read_csv(synth_file, cats)
        n = real['n']
        holdout = np.sort(rng.choice(n, size=int(round(0.2 * n)), replace=False))
        train_idx = np.setdiff1d(np.arange(n), holdout)
        train, hold = take(real, train_idx), take(real, holdout)
        spec = {}
        if cons_file:
            with open(os.path.join(OUT, cons_file), encoding='utf-8') as f:
                spec = yaml.safe_load(f) or {}
        case = {'real': real_file, 'synthetic': synth_file, 'categorical': list(cats), 'constraints': cons_file,
                'target': target, 'class_column': class_column, 'holdout': holdout.tolist(), 'train': train_idx.tolist()}
        case['synthetic_metrics'] = metrics_for(train, hold, synth, spec, target, class_column, rng)
        case['floor_metrics'] = floor_for(train, hold, spec, target, class_column)
        # The logistic model on the whole train-vs-synthetic problem, for the solver's own check.
        feats = Features(train)
        x = np.vstack([feats(train), feats(synth)])
        y = np.r_[np.zeros(train['n']), np.ones(synth['n'])]
        model = logistic(x, y)
        case['logistic'] = {'coef': model.coef_[0].tolist(), 'intercept': float(model.intercept_[0])}
        goldens['cases'][name] = case
    goldens['ks'] = ks_reference()
    with open(os.path.join(OUT, 'goldens.json'), 'w', encoding='utf-8') as f:
        json.dump(goldens, f, allow_nan=False)
        f.write('\n')
    print('wrote', os.path.join(OUT, 'goldens.json'))


if __name__ == '__main__':
    main()

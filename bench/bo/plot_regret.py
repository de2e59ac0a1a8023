#!/usr/bin/python3
"""Plots bench/bo.ts's regret curves: one panel per problem, median simple regret per method (log scale)
against the number of evaluations, with the interquartile band. Uses Debian's python3-matplotlib.

    /usr/bin/python3 bench/bo/plot_regret.py bench/results/bo_runs.json bench/results/bo_regret.png
"""
import json
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

COLORS = {'ours': '#d62728', 'ours_ei': '#ff9896', 'sklearn_gp_ei': '#1f77b4', 'optuna_tpe': '#2ca02c',
          'random': '#7f7f7f', 'sobol': '#bcbd22'}
ORDER = list(COLORS)


def main(runs_path, out_path):
    data = json.load(open(runs_path))
    protocol = data['protocol']
    records = data['records']
    problems = sorted({r['problem'] for r in records}, key=lambda p: (p.replace('+noise', ''), '+noise' in p))
    functions = sorted({p.replace('+noise', '') for p in problems}, key=lambda f: [q.replace('+noise', '') for q in problems].index(f))
    noisy = sorted({'+noise' in p for p in problems})
    fig, axes = plt.subplots(len(noisy), len(functions), figsize=(4.2 * len(functions), 3.4 * len(noisy)), squeeze=False)
    evaluations = protocol['initialPoints'] + protocol['batchSize'] * np.arange(protocol['iterations'] + 1)
    for row, is_noisy in enumerate(noisy):
        for col, fn in enumerate(functions):
            ax = axes[row][col]
            problem = fn + ('+noise' if is_noisy else '')
            methods = sorted({r['method'] for r in records if r['problem'] == problem}, key=lambda m: ORDER.index(m) if m in ORDER else 99)
            for method in methods:
                regret = np.array([r['regret'] for r in records if r['problem'] == problem and r['method'] == method])
                regret = np.maximum(regret, 1e-12)
                q1, median, q3 = np.quantile(regret, [0.25, 0.5, 0.75], axis=0)
                color = COLORS.get(method, 'black')
                ax.plot(evaluations, median, label=f'{method} (n={len(regret)})', color=color, lw=2 if method == 'ours' else 1.2)
                ax.fill_between(evaluations, q1, q3, color=color, alpha=0.15)
            ax.set_yscale('log')
            ax.set_title(problem)
            ax.set_xlabel('evaluations')
            if col == 0:
                ax.set_ylabel('simple regret of the recommendation')
            ax.grid(True, which='both', alpha=0.3)
            if row == 0 and col == 0:
                ax.legend(fontsize=7)
    fig.suptitle('bench:bo — median simple regret, interquartile bands (16 Sobol points, then 10 batches of 8)')
    fig.tight_layout()
    fig.savefig(out_path, dpi=110)
    print('wrote', out_path)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])

#!/usr/bin/python3
"""Optuna TPE with constraints_func, the peer of bench/tabular.ts, one trial at a time over JSON lines:

  {"op": "start", "space": [...], "seed": s, "startup": n, "enqueue": params} -> {"ok": true}
  {"op": "ask"}                                            -> {"params": {...}}
  {"op": "tell", "value": v, "constraints": [c1, ...]}     -> {"ok": true}

The objective is minimised (bench/tabular.ts sends -utility); a trial is feasible when every constraint
value is <= 0, Optuna's own convention for constraints_func (the values are the gates' constraint values
of src/domains/tabular/loop/gateConstraints.ts, the same numbers the GP models see). `enqueue` is the
first trial (the users' defaults, where every strategy but random starts) and `startup` the random
trials before TPE models (the same count as the GP strategy's initial design).
TPESampler(multivariate=True), the peer setup of bench/peers/optuna_tpe.py.
Requires Debian's python3-optuna (3.1): call with /usr/bin/python3."""
import json
import os
import sys
import traceback
import warnings

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

warnings.filterwarnings('ignore')  # multivariate and constraints_func are "experimental" in 3.1
optuna.logging.set_verbosity(optuna.logging.ERROR)


def distributions(space):
    out = {}
    for p in space:
        if p['kind'] == 'categorical':
            out[p['name']] = CategoricalDistribution(p['choices'])
        elif p['kind'] == 'integer':
            out[p['name']] = IntDistribution(int(p['low']), int(p['high']))
        else:
            out[p['name']] = FloatDistribution(p['low'], p['high'], log=bool(p.get('log')))
    return out


def plain(value):
    return value.item() if hasattr(value, 'item') else value


def main():
    replies = os.fdopen(os.dup(1), 'w')
    os.dup2(2, 1)
    study = dists = trial = None
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            if request['op'] == 'start':
                dists = distributions(request['space'])
                sampler = optuna.samplers.TPESampler(
                    seed=request['seed'], n_startup_trials=request['startup'], multivariate=True,
                    warn_independent_sampling=False, constraints_func=lambda t: t.user_attrs['constraints'])
                study = optuna.create_study(direction='minimize', sampler=sampler)
                if request.get('enqueue'):
                    study.enqueue_trial(request['enqueue'])
                reply = {'ok': True}
            elif request['op'] == 'ask':
                trial = study.ask(dists)
                reply = {'params': {k: plain(v) for k, v in trial.params.items()}}
            elif request['op'] == 'tell':
                trial.set_user_attr('constraints', request['constraints'])
                study.tell(trial, request['value'])
                reply = {'ok': True}
            else:
                reply = {'error': f"unknown op {request['op']}"}
        except Exception as error:
            reply = {'error': f'{type(error).__name__}: {error}', 'trace': traceback.format_exc()}
        replies.write(json.dumps(reply) + '\n')
        replies.flush()


if __name__ == '__main__':
    main()

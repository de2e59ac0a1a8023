#!/usr/bin/python3
"""Optuna TPE peer for bench/bo.ts: TPESampler(multivariate=True, constant_liar=True), batches of q
trials asked before any is told (constant liar keeps them apart), the initial design added as completed
trials. Recommendation = study.best_trial (lowest observed value), Optuna's own answer.
Requires Debian's python3-optuna (3.1): call with /usr/bin/python3."""
import warnings

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

from peer_protocol import serve, to_plain

warnings.filterwarnings('ignore')  # multivariate / constant_liar are "experimental" in 3.1
optuna.logging.set_verbosity(optuna.logging.ERROR)


class TpePeer:
    def __init__(self, space, seed, batch_size):
        self.distributions = {}
        for p in space:
            if p['kind'] == 'categorical':
                self.distributions[p['name']] = CategoricalDistribution(p['choices'])
            elif p['kind'] == 'integer':
                self.distributions[p['name']] = IntDistribution(int(p['low']), int(p['high']))
            else:
                self.distributions[p['name']] = FloatDistribution(p['low'], p['high'])
        sampler = optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=True,
                                             warn_independent_sampling=False)
        self.study = optuna.create_study(direction='minimize', sampler=sampler)
        self.batch_size = batch_size
        self.running = []

    def tell(self, params, values):
        if params is not None:
            for p, v in zip(params, values):
                self.study.add_trial(optuna.trial.create_trial(params=p, distributions=self.distributions, value=v))
            return
        for trial, v in zip(self.running, values):
            self.study.tell(trial, v)
        self.running = []

    def ask(self):
        self.running = [self.study.ask(self.distributions) for _ in range(self.batch_size)]
        return [{k: to_plain(v) for k, v in t.params.items()} for t in self.running]

    def recommend(self):
        return {k: to_plain(v) for k, v in self.study.best_trial.params.items()}


if __name__ == '__main__':
    serve(TpePeer)

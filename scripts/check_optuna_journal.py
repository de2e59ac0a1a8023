#!/usr/bin/python3
"""Loads an Optuna journal file with Optuna itself, the way a Python user would, and prints what Optuna
sees as one JSON object: the study's name and directions, and per trial its number, state, params,
distributions, value and user attributes. It also replays the loaded trials through Optuna's own
JournalStorage calls (create_new_trial, set_trial_param, set_trial_user_attr, set_trial_state_values)
into a second file and lists the lines where that text differs from the given file once worker ids and
datetimes (which Optuna takes from its process and clock) are masked: "rewrite_differences".

Usage: /usr/bin/python3 scripts/check_optuna_journal.py JOURNAL.jsonl STUDY_NAME
(Debian's interpreter with python3-optuna 3.1; the pyenv python3 first on PATH here does not see it.)
Floats are printed with Python's repr, so a reader that parses them gets the exact doubles Optuna holds.
Exit status 1 when Optuna cannot load the study.
"""
import json
import os
import re
import sys
import tempfile
import warnings

# Optuna writes worker_id and datetimes from its own process and clock; everything else must match.
VOLATILE = re.compile(r'"(worker_id|datetime_start|datetime_complete)": "[^"]*"')


def rewrite_differences(optuna, path: str, study) -> list:
    """Writes the study's trials again through Optuna's JournalStorage; returns the differing lines."""
    with tempfile.TemporaryDirectory() as tmp:
        copy_path = os.path.join(tmp, "rewrite.jsonl")
        storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(copy_path))
        study_id = storage.create_new_study(study.directions, study_name=study.study_name)
        for t in study.get_trials(deepcopy=False):
            trial_id = storage.create_new_trial(study_id)
            for name, value in t.params.items():
                dist = t.distributions[name]
                storage.set_trial_param(trial_id, name, dist.to_internal_repr(value), dist)
            for key, value in t.user_attrs.items():
                storage.set_trial_user_attr(trial_id, key, value)
            if t.state != optuna.trial.TrialState.RUNNING:
                storage.set_trial_state_values(trial_id, t.state, t.values)
        with open(path, encoding="utf-8") as f:
            ours = [VOLATILE.sub(r'"\1": "*"', line) for line in f.read().splitlines()]
        with open(copy_path, encoding="utf-8") as f:
            theirs = [VOLATILE.sub(r'"\1": "*"', line) for line in f.read().splitlines()]
    out = [f"line {i + 1}: given {a!r}, Optuna writes {b!r}" for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
    if len(ours) != len(theirs):
        out.append(f"given {len(ours)} lines, Optuna writes {len(theirs)}")
    return out


def main(path: str, study_name: str) -> int:
    # JournalStorage is marked experimental in 3.1 and says so on every use.
    warnings.simplefilter("ignore")
    import optuna
    from optuna.distributions import distribution_to_json

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))
    try:
        study = optuna.load_study(study_name=study_name, storage=storage)
    except Exception as error:  # noqa: BLE001 - any failure to load is the finding
        print(f"{path}: Optuna {optuna.__version__} cannot load study {study_name!r}: {error!r}", file=sys.stderr)
        return 1

    trials = []
    for t in study.get_trials(deepcopy=False):
        trials.append({
            "number": t.number,
            "state": t.state.name,
            # type names too, so that an int parameter read back as a float (or the reverse) is a difference
            "params": {k: v for k, v in t.params.items()},
            "param_types": {k: type(v).__name__ for k, v in t.params.items()},
            "distributions": {k: json.loads(distribution_to_json(d)) for k, d in t.distributions.items()},
            "value": t.value,
            "value_type": type(t.value).__name__,
            "user_attrs": t.user_attrs,
            "datetime_start": t.datetime_start.isoformat(timespec="microseconds") if t.datetime_start else None,
            "datetime_complete": t.datetime_complete.isoformat(timespec="microseconds") if t.datetime_complete else None,
        })
    print(json.dumps({
        "optuna_version": optuna.__version__,
        "study_name": study.study_name,
        "directions": [d.name for d in study.directions],
        "trials": trials,
        "rewrite_differences": rewrite_differences(optuna, path, study),
    }, indent=1))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))

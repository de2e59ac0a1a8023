"""Drive a calibration study from Python: your generator and encoder, the studio's optimizer.

Run from the project root after `npm ci` (numpy needed):
    python3 docs/examples/byo_pool.py /tmp/my-study

Each worker of a process pool asks for one parameter set, evaluates it (here: a stand-in generator and
encoder, a fixed nonlinear map of the parameters plus noise) and tells the result; the study folder is
locked per command, so the workers never lose or duplicate anything.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor

import numpy as np

DIM = 32
CHOICES = ["circle", "ellipse", "irregular"]
W = np.random.default_rng(42).normal(size=(4, DIM))


def calibrate(*args):
    """One command; stdout is the data, stderr the messages; exit 2 means bad input."""
    done = subprocess.run(["npm", "run", "--silent", "calibrate", "--", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"calibrate {args[0]} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def embed(params, rng):
    """Your generator and encoder: parameters -> one embedding per replicate."""
    x = np.array([params["brightness"], np.log(params["size"]) / 5, params["count"] / 20, CHOICES.index(params["shape"]) / 2])
    return np.tanh(x @ W) + rng.normal(scale=0.1, size=DIM)


def evaluate(study, seed, replicates=3):
    """A worker: ask for one set, make its samples, tell them."""
    asked = next(csv.DictReader(io.StringIO(calibrate("ask", study, "--n", "1"))))
    params = {"brightness": float(asked["brightness"]), "size": float(asked["size"]), "count": int(asked["count"]), "shape": asked["shape"]}
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        samples, emb = os.path.join(tmp, "samples.csv"), os.path.join(tmp, "emb.npy")
        with open(samples, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["sample_id", "param_set_id", "brightness", "size", "count", "shape"])
            for r in range(replicates):
                w.writerow([f"{asked['param_set_id']}_{r}", asked["param_set_id"], "", "", "", ""])
        np.save(emb, np.stack([embed(params, rng) for _ in range(replicates)]).astype(np.float32))
        calibrate("tell", study, "--samples", samples, "--embeddings", emb)
    return asked["param_set_id"]


def main(study):
    space = os.path.join(tempfile.mkdtemp(), "space.yaml")
    with open(space, "w") as f:
        f.write("parameters:\n"
                "  - {name: brightness, type: float, low: 0.3, high: 0.8}\n"
                "  - {name: size, type: float, low: 1, high: 100, log: true}\n"
                "  - {name: count, type: int, low: 3, high: 20}\n"
                "  - {name: shape, type: categorical, choices: [circle, ellipse, irregular]}\n")
    truth = {"brightness": 0.6, "size": 20.0, "count": 8, "shape": "ellipse"}
    real = os.path.join(os.path.dirname(space), "real.npy")
    rng = np.random.default_rng(0)
    np.save(real, np.stack([embed(truth, rng) for _ in range(16)]).astype(np.float32))
    calibrate("init", study, "--space", space, "--real", real, "--batch", "4", "--seed", "1")

    with ProcessPoolExecutor(max_workers=4) as pool:
        for round_ in range(4):
            told = list(pool.map(evaluate, [study] * 4, range(round_ * 4, round_ * 4 + 4)))
            status = json.loads(calibrate("status", study, "--json"))
            best = status["best"]
            print(f"round {round_}: told {', '.join(told)}; best {best['param_set_id'] if best else '-'} "
                  f"score {best['score']:.4f}" if best else f"round {round_}: told {', '.join(told)}")
    calibrate("export", study, "--optuna-journal", os.path.join(study + ".jsonl"))
    calibrate("export", study, "--zip", study + ".zip")
    print(f"study in {study}; open {study}.zip in the page (Import ZIP), or {study}.jsonl with Optuna")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/byo-study")

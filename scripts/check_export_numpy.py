#!/usr/bin/python3
"""Opens an archive exported by Latent Calibration Studio with Python's zipfile and numpy, the way a
Python user would, and checks it: every file matches manifest.json's sizes, every .npy loads with
np.load with rows = metadata.json rows, metadata has the keys the first user's Python scripts read, and pca_model.json reproduces
pca_2d.npy. Prints one line per iteration. Exit status 1 on any problem.

Usage: /usr/bin/python3 scripts/check_export_numpy.py test-results/archive-fixture.zip
(Debian's interpreter: it has numpy; the pyenv python3 first on PATH here does not.)
"""
import io
import json
import re
import sys
import zipfile

import numpy as np

SEED_KEYS = {"sample_id", "iteration", "dataset_type", "param_set_id", "replication_seed",
             "base_image_id", "params", "uncontrolled_params", "timestamp"}


def main(path: str) -> int:
    problems = []
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        print(f"{path}: tool={manifest['tool']} format={manifest['format_version']} "
              f"experiment={manifest['experiment_id']} counts={manifest['counts']}")
        for f in manifest["files"]:
            size = z.getinfo(f["path"]).file_size
            if size != f["bytes"]:
                problems.append(f"{f['path']}: {size} bytes, manifest says {f['bytes']}")
        names = z.namelist()
        base = f"data/experiments/{manifest['experiment_id']}"
        iterations = sorted({int(m.group(1)) for n in names if (m := re.match(rf"{re.escape(base)}/iteration_(\d+)/", n))})
        pca = None
        if f"{base}/iteration_0/pca_model.json" in names:
            pca = json.loads(z.read(f"{base}/iteration_0/pca_model.json"))
        for n in iterations:
            it = f"{base}/iteration_{n}"
            load = lambda name: np.load(io.BytesIO(z.read(f"{it}/{name}")))
            X, raw, xy = load("embeddings.npy"), load("embeddings_raw.npy"), load("pca_2d.npy")
            meta = json.loads(z.read(f"{it}/metadata.json"))
            missing = [sorted(SEED_KEYS - set(m)) for m in meta if SEED_KEYS - set(m)]
            if missing:
                problems.append(f"{it}/metadata.json: rows lack {missing[0]}")
            for name, a in (("embeddings.npy", X), ("embeddings_raw.npy", raw), ("pca_2d.npy", xy)):
                if a.shape[0] != len(meta):
                    problems.append(f"{it}/{name}: {a.shape[0]} rows, metadata has {len(meta)}")
            images = [s for s in names if s.startswith(f"{it}/images/")]
            if len(images) != len(meta):
                problems.append(f"{it}/images: {len(images)} files for {len(meta)} samples")
            line = (f"iteration_{n}: embeddings {X.shape} {X.dtype}, raw {raw.shape} {raw.dtype}, "
                    f"pca_2d {xy.shape} {xy.dtype}, metadata {len(meta)} rows, images {len(images)}")
            if pca is not None and pca.get("kind") == "pca" and len(meta):
                projected = (X.astype(np.float64) - np.array(pca["mean"])) @ np.array(pca["components"]).T
                ok = ~np.isnan(xy).any(axis=1)
                err = float(np.abs(projected[ok] - xy[ok]).max()) if ok.any() else 0.0
                line += f", |PCA(x) - pca_2d| max {err:.2e} over {int(ok.sum())} projected rows"
                if err > 1e-4:
                    problems.append(f"{it}/pca_2d.npy: differs from pca_model.json's transform by {err}")
            print(line)
    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "test-results/archive-fixture.zip"))

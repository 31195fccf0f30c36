# scikit-learn's PCA on the same Fashion-MNIST files as pca.bench.mjs, for a same-run timing. Reads the IDX
# files (pixels/255 as float32, like latentkit's loader), fits PCA(k) `reps` times with the given solver,
# prints one JSON line: the fit seconds of each rep, the explained-variance-ratio sum and sklearn's version.
# Usage: /usr/bin/python3 sklearn-pca.py DATA_DIR K SOLVER REPS
import gzip, json, sys, time

import numpy as np
from sklearn import __version__
from sklearn.decomposition import PCA


def read_images(path):
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    n, rows, cols = (int.from_bytes(raw[o:o + 4], 'big') for o in (4, 8, 12))
    return (np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols) / np.float32(255)).astype(np.float32)


def main():
    data_dir, k, solver, reps = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    x = read_images(f'{data_dir}/train-images-idx3-ubyte.gz')
    seconds, ratio = [], None
    for _ in range(reps):
        started = time.perf_counter()
        pca = PCA(n_components=k, svd_solver=solver, random_state=0).fit(x)
        seconds.append(time.perf_counter() - started)
        ratio = float(pca.explained_variance_ratio_.sum())
    print(json.dumps({'seconds': seconds, 'explainedVarianceRatioSum': ratio, 'version': __version__}))


main()

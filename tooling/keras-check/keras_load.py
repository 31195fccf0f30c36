# Opens latentkit's TF.js LayersModel exports with Keras itself and prints, as one JSON line, how far Keras's
# predictions are from latentkit's own encode and decode. model.json's topology is a Keras 2 model config (what
# tfjs-layers writes, and what tensorflowjs_converter puts into the .h5 it makes); Keras 3 reads such configs
# with its legacy saving_utils.model_from_config, the path keras.models.load_model takes for a Keras 2 .h5.
# Weights come from weightsManifest in order. Usage: python keras_load.py DIR (see keras-check.mjs).
import json, sys

import numpy as np
import keras
from keras.src.legacy.saving import saving_utils


def open_model(path):
    spec = json.load(open(f"{path}/model.json"))
    model = saving_utils.model_from_config(spec["modelTopology"])
    blob = b"".join(open(f"{path}/{p}", "rb").read() for g in spec["weightsManifest"] for p in g["paths"])
    values, at = {}, 0
    for w in (w for g in spec["weightsManifest"] for w in g["weights"]):
        n = int(np.prod(w["shape"]))
        values[w["name"]] = np.frombuffer(blob, "<f4", n, at).reshape(w["shape"])
        at += 4 * n
    # By name ("<layer>/<weight>", as the manifest and Keras both call them): Keras 3 lists a layer's trainable
    # weights before the rest, so the manifest's order is not its order. Every weight must be used exactly once.
    used = set()
    for layer in model.layers:
        for w in layer.weights:
            key = f"{layer.name}/{w.name.split('/')[-1].split(':')[0]}"
            w.assign(values[key])
            used.add(key)
    assert used == set(values), sorted(set(values) ^ used)
    return model


def main():
    root = sys.argv[1]
    report = {"keras": keras.__version__, "backend": keras.backend.backend(), "models": {}}
    for name in sorted(json.load(open(f"{root}/models.json"))):
        d = f"{root}/{name}"
        x, z, xh = (np.load(f"{d}/{f}.npy") for f in ("x", "codes", "recon"))
        encoder, decoder = open_model(f"{d}/export/encoder"), open_model(f"{d}/export/decoder")
        report["models"][name] = {
            "classes": sorted({l.__class__.__name__ for m in (encoder, decoder) for l in m.layers}),
            "encodeMaxAbsDiff": float(np.abs(encoder.predict(x, verbose=0) - z).max()),
            "decodeMaxAbsDiff": float(np.abs(decoder.predict(z, verbose=0) - xh).max()),
            "reconRange": [float(xh.min()), float(xh.max())],
        }
    print(json.dumps(report))


main()

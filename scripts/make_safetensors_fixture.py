#!/usr/bin/env python3
"""Writes the safetensors compatibility fixture with the official `safetensors` library.

The fixture (Tests/TransformerTests/Fixtures/safetensors_python.safetensors) holds a few
small tensors chosen to exercise the reader: F32 and F16 tensors, a scalar (shape []), an
empty tensor (shape [0, 4]), special values (-0, ±inf, NaN, the smallest subnormals,
the largest finite values) and non-ASCII metadata. SafetensorsCompatibilityTests reads it
with Tenfold and compares every value bit for bit, so the test suite itself needs no Python.

Run (once, when the fixture must change):
    python3 -m venv /tmp/stvenv
    /tmp/stvenv/bin/pip install safetensors numpy
    /tmp/stvenv/bin/python scripts/make_safetensors_fixture.py

With an argument, it instead reads a file written by Tenfold and prints what it holds:
    /tmp/stvenv/bin/python scripts/make_safetensors_fixture.py path/to/tenfold.safetensors
"""
import pathlib
import sys

import numpy as np
import safetensors
from safetensors import safe_open
from safetensors.numpy import save_file

FIXTURE = (pathlib.Path(__file__).resolve().parent.parent
           / "Tests" / "TransformerTests" / "Fixtures" / "safetensors_python.safetensors")


def write_fixture():
    f32, f16 = np.float32, np.float16
    tensors = {
        # [2, 3]: zero, negative zero, exact fractions, the largest finite Float32, the
        # smallest positive subnormal Float32.
        "a.weight": np.array([[0.0, -0.0, 1.5], [-2.25, 3.4028234663852886e38, 1e-45]], dtype=f32),
        "b.special": np.array([np.inf, -np.inf, np.nan], dtype=f32),
        "c.scalar": np.array(42.0, dtype=f32),
        "d.empty": np.zeros((0, 4), dtype=f32),
        # [2, 2] F16: exact values, the largest finite half, the smallest subnormal half (2⁻²⁴).
        "e.half": np.array([[1.5, -2.0], [65504.0, 2.0 ** -24]], dtype=f16),
        # [3] F16: infinity, negative zero, the half nearest 1/3 (0.333251953125).
        "f.half_special": np.array([np.inf, -0.0, 1.0 / 3.0], dtype=f16),
        # [4, 5]: k/4 − 2 for k = 0…19, row-major.
        "z.matrix": (np.arange(20, dtype=f32) * 0.25 - 2.0).reshape(4, 5),
    }
    metadata = {"format": "np", "writer": "safetensors " + safetensors.__version__,
                "unicode": "naïve ✓ \"quoted\""}
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(FIXTURE), metadata=metadata)
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes) with safetensors {safetensors.__version__}")


def describe(path):
    with safe_open(path, framework="np") as f:
        print("metadata:", f.metadata())
        for key in sorted(f.keys()):
            t = f.get_tensor(key)
            print(f"{key}: dtype={t.dtype} shape={list(t.shape)} first={t.ravel()[:4].tolist()}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        describe(sys.argv[1])
    else:
        write_fixture()

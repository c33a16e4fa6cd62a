#!/usr/bin/env python3
"""Compares two runs' metrics.jsonl update by update (make test-mpi).

Usage: compare_metrics.py A B [--tolerance REL] [--exact] [--name NAME]
Checks the loss and the gradient norm of every update (and the validation loss where both
have one): relative difference at most REL, or identical bits with --exact. Prints the
largest difference and one line 'NAME: passed' or 'NAME: failed'; exits 1 on failure.
"""
import json
import sys


def read(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    args = sys.argv[1:]
    a, b = read(args[0]), read(args[1])
    tolerance = float(args[args.index("--tolerance") + 1]) if "--tolerance" in args else 1e-4
    exact = "--exact" in args
    name = args[args.index("--name") + 1] if "--name" in args else "comparison"
    ok = len(a) == len(b) and len(a) > 0 and [x["step"] for x in a] == [y["step"] for y in b]
    worst, identical = 0.0, True
    for x, y in zip(a, b):
        for key in ("loss", "grad_norm", "validation_loss"):
            if key not in x or key not in y:
                continue
            u, v = x[key], y[key]
            identical &= u == v
            difference = abs(u - v) / max(abs(u), 1e-12)
            worst = max(worst, difference)
            if (exact and u != v) or difference > tolerance:
                ok = False
                print(f"{name}: update {x['step']} {key}: {u} against {v} (relative difference {difference:.2e})")
    print(f"{name}: {len(a)} and {len(b)} updates, largest relative difference {worst:.2e}, "
          f"{'bit-exact' if identical else 'not bit-exact'}")
    print(f"{name}: {'passed' if ok else 'failed'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

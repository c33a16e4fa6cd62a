#!/usr/bin/env python3
"""Fits the polynomial R(t) behind GELU's Φ in Sources/CKernels/kernels.c.

With z = |x|/√2 and t = 2/(2 + z), erfc(z) = t·e^(−z²)·R(t). R(t) = e^(z²)·erfc(z)/t is
smooth on the t the kernel sees: t ∈ [0.17, 1], from z = 0 to the tail clamp |x| = 13.5.
This fits R with a degree-9 polynomial in t by least squares, weighted by 1/R so that the
error is relative, at Chebyshev nodes, against erfc in 40-digit arithmetic, and prints the
coefficients and the worst relative error of the fit on a dense grid.

Usage: python3 scripts/fit_gelu_erfc.py [--degree 9]    (needs numpy and mpmath)
"""
import argparse

import mpmath
import numpy as np


def remainder(t):
    """R(t) = e^(z²)·erfc(z)/t with z = 2/t − 2, in 40-digit arithmetic."""
    t = mpmath.mpf(t)
    z = 2 / t - 2
    return float(mpmath.erfc(z) * mpmath.exp(z * z) / t)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--degree", type=int, default=9, help="degree of the polynomial (default 9)")
    args = parser.parse_args()
    mpmath.mp.dps = 40
    low = 0.165                                    # below 2/(2 + 13.5/√2) = 0.1732
    nodes = np.cos(np.pi * (np.arange(1500) + 0.5) / 1500)
    ts = (nodes + 1) / 2 * (1 - low) + low
    values = np.array([remainder(t) for t in ts])
    fit = np.polynomial.Polynomial.fit(ts, values, args.degree, w=1 / values).convert()
    grid = np.linspace(low, 1, 3001)
    exact = np.array([remainder(t) for t in grid])
    worst = np.max(np.abs(fit(grid) / exact - 1))
    print(f"degree {args.degree}: worst relative error of the fit {worst:.2e} on t in [{low}, 1]")
    print("coefficients of t^0, t^1, ...:")
    print(", ".join(f"{c:.9g}" for c in fit.coef))


if __name__ == "__main__":
    main()

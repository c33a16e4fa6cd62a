#!/usr/bin/env python3
"""Tenfold's training step against PyTorch's, on this machine, in one run.

    python3 scripts/bench_vs_torch.py --preset mini [--objective classify] [--rounds 3]

For each round it runs `tenfold bench --preset P --json` (release build) and then the PyTorch
reference, scripts/torch_reference.py, for the same preset and objective, one after the other,
so both see the same machine state; each reports the median of its timed steps. The script
prints every round, then the ratio Tenfold / PyTorch of the median step time (the median over
rounds of each side's median), the fraction of the SGEMM peak each achieves (the peak is
measured in every round, just before and just after its two timings, the larger counting; the
fraction is the median over rounds of the share of that round's peak), and the peak resident
memory of each process (from the kernel's accounting of the child process, the same way for
both).

It installs nothing. It needs:
  * a release build of tenfold (`swift build -c release --product tenfold`; the script
    runs that build itself first unless --no-build is given, and says so);
  * a Python with PyTorch for CPU: `make torch-venv` creates /tmp/torchref with
    torch==2.13.0+cpu; pass another with --python.
--reference PATH times another script instead of scripts/torch_reference.py; it must take the
same options (--config, --objective, --steps, --warmup, --threads, --peak) and print the same
JSON line.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_REFERENCE = os.path.join(ROOT, "scripts", "torch_reference.py")


def fail(message):
    print(f"bench_vs_torch: {message}", file=sys.stderr)
    sys.exit(2)


def measure(argv, env=None):
    """Runs argv and reports its peak resident memory via wait4 (ru_maxrss, KiB on Linux)."""
    start = time.monotonic()
    # stderr goes to a file, so neither stream can fill a pipe and block the child while we
    # read the other; the child is then reaped with wait4 for its resource usage.
    with tempfile.TemporaryFile(mode="w+") as errors:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, env=env, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        errors.seek(0)
        err = errors.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        fail(f"{' '.join(argv)} failed with status {proc.returncode}:\n{err.strip()[-2000:]}")
    lines = [l for l in out.splitlines() if l.strip().startswith("{")]
    if not lines:
        fail(f"{' '.join(argv)} printed no JSON line:\n{out[-2000:]}\n{err[-2000:]}")
    rss_mib = usage.ru_maxrss / 1024 if sys.platform.startswith("linux") else usage.ru_maxrss / 2**20
    return json.loads(lines[-1]), rss_mib, time.monotonic() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", required=True, choices=["mini", "small", "base"])
    ap.add_argument("--objective", default="mlm", choices=["mlm", "classify"],
                    help="the pre-training step (mlm) or a fine-tuning step (classify)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating runs of each (default 3)")
    ap.add_argument("--steps", type=int, default=10, help="timed steps per run (default 10)")
    ap.add_argument("--warmup", type=int, default=3, help="warm-up steps per run (default 3)")
    ap.add_argument("--threads", type=int, default=2, help="threads for both (default 2)")
    ap.add_argument("--python", default="/tmp/torchref/bin/python", help="a Python with torch (default /tmp/torchref)")
    ap.add_argument("--reference", default=DEFAULT_REFERENCE,
                    help="the PyTorch step to time (default scripts/torch_reference.py)")
    ap.add_argument("--peak", type=float, default=0.0,
                    help="SGEMM peak in GFLOP/s; measured with `tenfold bench --sgemm-peak` when omitted")
    ap.add_argument("--no-build", action="store_true", help="use the existing release build")
    ap.add_argument("--json", default="", help="append every run's record to this JSONL file")
    args = ap.parse_args()

    if args.rounds < 1 or args.steps < 1:
        fail("--rounds and --steps must be at least 1")
    if args.warmup < 1:
        fail("--warmup must be at least 1 (a reference may record its first step during warm-up)")
    reference = os.path.abspath(args.reference)
    if not os.path.exists(reference):
        fail(f"the PyTorch reference is not at {reference}; pass --reference PATH")
    # The name the report gives the reference: its path in the repository, or as given.
    label = os.path.relpath(reference, ROOT) if reference.startswith(ROOT + os.sep) else args.reference
    how = ("run `make torch-venv` (torch==2.13.0+cpu in /tmp/torchref), "
           "or pass --python with a Python that has PyTorch")
    if not (os.path.exists(args.python) or shutil.which(args.python)):
        fail(f"no Python at {args.python}: {how}.")
    probe = subprocess.run([args.python, "-c", "import torch; print(torch.__version__)"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        fail(f"{args.python} has no PyTorch: {how}.")
    tenfold = os.path.join(ROOT, ".build", "release", "tenfold")
    if not args.no_build:
        print("building tenfold (swift build -c release --product tenfold)…", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release", "--product", "tenfold"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    if not os.path.exists(tenfold):
        fail(f"no release build at {tenfold}; run `swift build -c release --product tenfold`")

    env = dict(os.environ, TENFOLD_THREADS=str(args.threads), OMP_NUM_THREADS=str(args.threads))
    # The SGEMM peak is measured in every round, just before and just after that round's two
    # step timings, and each side's share is of the larger of the two: this machine's speed
    # drifts by ±10% within minutes, so a peak measured once, at a fast moment, understates
    # the share for the rounds that run at a slow one; and a single measurement taken during
    # a momentary slowdown (seen: 88 GFLOP/s between rounds at 134–152) would overstate it.
    def sgemm_peak():
        if args.peak > 0:
            return args.peak
        record, _, _ = measure([tenfold, "bench", "--sgemm-peak", "--json"], env)
        return record["sgemm_peak_gflops"]

    print(f"preset {args.preset}, objective {args.objective}: {args.rounds} rounds of SGEMM peak, Tenfold, PyTorch, SGEMM peak again, {args.warmup} warm-up + "
          f"{args.steps} timed steps each, {args.threads} threads")
    print(f"PyTorch: {label} (torch {probe.stdout.strip()}, {args.python})")

    ours, theirs, peaks = [], [], []
    for r in range(1, args.rounds + 1):
        peak_before = sgemm_peak()
        t, t_rss, _ = measure([tenfold, "bench", "--preset", args.preset, "--objective", args.objective,
                               "--json", "--steps", str(args.steps),
                               "--warmup", str(args.warmup), "--peak", str(peak_before)], env)
        p, p_rss, _ = measure([args.python, reference, "--config", args.preset, "--objective", args.objective,
                               "--steps", str(args.steps),
                               "--warmup", str(args.warmup), "--threads", str(args.threads), "--peak", str(peak_before)], env)
        peak = max(peak_before, sgemm_peak())
        t["rss_mib"], p["rss_mib"] = t_rss, p_rss
        ours.append(t)
        theirs.append(p)
        peaks.append(peak)
        gflop = t["gflop_step_executed"]
        print(f"  round {r}: SGEMM peak {peak:.1f} GFLOP/s · Tenfold {t['step_s_median']:.3f} s/step "
              f"({gflop / t['step_s_median'] / peak:.1%} of peak, {t_rss:.0f} MiB) · "
              f"PyTorch {p['step_s_median']:.3f} s/step ({gflop / p['step_s_median'] / peak:.1%}, {p_rss:.0f} MiB) · "
              f"ratio {t['step_s_median'] / p['step_s_median']:.3f}")
        if args.json:
            with open(args.json, "a") as f:
                f.write(json.dumps(t) + "\n")
                f.write(json.dumps(p) + "\n")

    def med(records, key):
        return statistics.median(x[key] for x in records)

    t_step, p_step = med(ours, "step_s_median"), med(theirs, "step_s_median")
    t_rss, p_rss = max(x["rss_mib"] for x in ours), max(x["rss_mib"] for x in theirs)
    gflop = ours[0]["gflop_step_executed"]
    print()
    print(f"{'':10} {'step s':>8} {'fwd s':>7} {'bwd s':>7} {'opt s':>7} {'tokens/s':>9} {'GFLOP/s':>8} {'of peak':>8} {'peak MiB':>9}")
    for name, rs, step, rss in (("Tenfold", ours, t_step, t_rss), ("PyTorch", theirs, p_step, p_rss)):
        # The median over rounds of the share of that round's peak.
        share = statistics.median(gflop / x["step_s_median"] / peak for x, peak in zip(rs, peaks))
        print(f"{name:10} {step:8.3f} {med(rs, 'fwd_s_median'):7.3f} {med(rs, 'bwd_s_median'):7.3f} "
              f"{med(rs, 'opt_s_median'):7.3f} {med(rs, 'tokens_per_s'):9.0f} {gflop / step:8.1f} "
              f"{share:8.1%} {rss:9.0f}")
    print()
    print(f"ratio of median step times, Tenfold / PyTorch ({label}): {t_step / p_step:.3f}  "
          f"(peak memory ratio {t_rss / p_rss:.2f}; {gflop:.1f} GFLOP per step; SGEMM peak "
          f"{min(peaks):.0f}–{max(peaks):.0f} GFLOP/s; "
          f"torch {theirs[0].get('torch', '?')})")


if __name__ == "__main__":
    main()

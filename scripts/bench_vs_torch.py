#!/usr/bin/env python3
"""Tenfold's training step against PyTorch's, on this machine, in one run.

    python3 scripts/bench_vs_torch.py --preset mini [--objective mlm|electra|mc-bert|classify] [--notes] [--rounds 3]

For each round it runs `tenfold bench --preset P --json` (release build) and the PyTorch
reference, scripts/torch_reference.py, for the same preset and objective, one after the other,
so both see the same machine state; each reports the median of its timed steps. The order
rotates from round to round (Tenfold first in odd rounds, PyTorch first in even ones), so that
neither side always runs into what the other left behind; the 1-minute load average is
recorded as each round starts and ends (this machine is shared). The script prints every round,
then the ratio Tenfold / PyTorch of the median step time (the median over rounds of each side's
median), the fraction of the SGEMM peak each achieves (the peak is measured in every round,
just before and just after its timings, the larger counting; the fraction is the median over
rounds of the share of that round's peak), and the peak resident memory of each process (from
the kernel's accounting of the child process, the same way for both). For mlm and classify it
adds Tenfold's ceiling: how fast its linear layers' products ran inside the step, and the share
of the peak the step could reach at most if every product ran at the peak and the rest of the
step took what it took.

With --notes (a pre-training objective), each round times four runs, rotated one place per
round: Tenfold and PyTorch without notes and with TNF's notes (`--notes` on both sides: chapter
4's mixing and dictionary update, on the ids declared rare there). It reports the ratio with
and without notes, and TNF's overhead on each side two ways: the step time with notes ÷
without (the median over rounds of each round's ratio; two separate processes, so the
machine's drift between them is in it), and the notes' own measured time (mixing and update)
as a share of the step with notes, which does not depend on that drift.

It installs nothing. It needs:
  * a release build of tenfold (`swift build -c release --product tenfold`; the script
    runs that build itself first unless --no-build is given, and says so);
  * a Python with PyTorch for CPU: `make torch-venv` creates /tmp/torchref with
    torch==2.13.0+cpu; pass another with --python.
--reference PATH times another script instead of scripts/torch_reference.py; it must take the
same options (--config, --objective, --steps, --warmup, --threads, --peak, and --notes if
given) and print the same JSON line.
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
    ap.add_argument("--objective", default="mlm", choices=["mlm", "electra", "mc-bert", "classify"],
                    help="a pre-training step (mlm; electra and mc-bert: chapter 5's) or a fine-tuning step (classify)")
    ap.add_argument("--notes", action="store_true",
                    help="also time each side with TNF's notes (chapter 4) and report their overhead")
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
    if args.notes and args.objective == "classify":
        fail("--notes times a pre-training step: use it with --objective mlm, electra or mc-bert")
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
    # The SGEMM peak is measured in every round, just before and just after that round's
    # step timings, and each side's share is of the larger of the two: this machine's speed
    # drifts by ±10% within minutes, so a peak measured once, at a fast moment, understates
    # the share for the rounds that run at a slow one; and a single measurement taken during
    # a momentary slowdown (seen: 88 GFLOP/s between rounds at 134–152) would overstate it.
    def sgemm_peak():
        if args.peak > 0:
            return args.peak
        record, _, _ = measure([tenfold, "bench", "--sgemm-peak", "--json"], env)
        return record["sgemm_peak_gflops"]

    runs = [("Tenfold", False), ("PyTorch", False)]
    if args.notes:
        runs = [("Tenfold", False), ("Tenfold", True), ("PyTorch", False), ("PyTorch", True)]

    def name(run):
        return run[0] + (" + notes" if run[1] else "")

    def argv(run, peak):
        side, notes = run
        common = ["--objective", args.objective, "--steps", str(args.steps), "--warmup", str(args.warmup),
                  "--peak", str(peak)] + (["--notes"] if notes else [])
        if side == "Tenfold":
            return [tenfold, "bench", "--preset", args.preset, "--json"] + common
        return [args.python, reference, "--config", args.preset, "--threads", str(args.threads)] + common

    print(f"preset {args.preset}, objective {args.objective}: {args.rounds} rounds of SGEMM peak, "
          f"{', '.join(name(r) for r in runs)} (the order rotated each round), SGEMM peak again; "
          f"{args.warmup} warm-up + {args.steps} timed steps each, {args.threads} threads")
    print(f"PyTorch: {label} (torch {probe.stdout.strip()}, {args.python})")

    records = {run: [] for run in runs}
    peaks, loads = [], []
    for r in range(1, args.rounds + 1):
        load_before = os.getloadavg()[0]
        peak_before = sgemm_peak()
        shift = (r - 1) % len(runs)
        for run in runs[shift:] + runs[:shift]:
            record, rss, _ = measure(argv(run, peak_before), env)
            record["rss_mib"], record["round"] = rss, r
            records[run].append(record)
        peak = max(peak_before, sgemm_peak())
        load_after = os.getloadavg()[0]
        peaks.append(peak)
        loads.append((load_before, load_after))
        this = {run: records[run][-1] for run in runs}
        gflop = this[runs[0]]["gflop_step_executed"]
        parts = []
        for run in runs:
            x = this[run]
            part = f"{name(run)} {x['step_s_median']:.3f} s ({gflop / x['step_s_median'] / peak:.1%}, {x['rss_mib']:.0f} MiB)"
            if run[1]:
                part += f" [notes {x['notes_s_median'] * 1e3:.1f} ms]"
            parts.append(part)
        ratios = [f"ratio {this[('Tenfold', n)]['step_s_median'] / this[('PyTorch', n)]['step_s_median']:.3f}"
                  + (" with notes" if n else "") for n in sorted({run[1] for run in runs})]
        if args.notes:
            ratios += [f"notes ×{this[(side, True)]['step_s_median'] / this[(side, False)]['step_s_median']:.3f} "
                       f"on {side}" for side in ("Tenfold", "PyTorch")]
        order = " → ".join(name(run) for run in runs[shift:] + runs[:shift])
        print(f"  round {r} (load {load_before:.1f} → {load_after:.1f}; {order}): SGEMM peak {peak:.1f} GFLOP/s · "
              + " · ".join(parts) + " · " + " · ".join(ratios))
        if args.json:
            with open(args.json, "a") as f:
                for run in runs:
                    f.write(json.dumps(dict(this[run], load_before=load_before, load_after=load_after,
                                            sgemm_peak=peak)) + "\n")

    def med(rs, key):
        return statistics.median(x[key] for x in rs)

    gflop = records[runs[0]][0]["gflop_step_executed"]
    print()
    print(f"{'':16} {'step s':>8} {'fwd s':>7} {'bwd s':>7} {'opt s':>7} {'tokens/s':>9} {'GFLOP/s':>8} {'of peak':>8} "
          f"{'peak MiB':>9}")
    for run in runs:
        rs = records[run]
        step = med(rs, "step_s_median")
        # The median over rounds of the share of that round's peak.
        share = statistics.median(gflop / x["step_s_median"] / peak for x, peak in zip(rs, peaks))
        print(f"{name(run):16} {step:8.3f} {med(rs, 'fwd_s_median'):7.3f} {med(rs, 'bwd_s_median'):7.3f} "
              f"{med(rs, 'opt_s_median'):7.3f} {med(rs, 'tokens_per_s'):9.0f} {gflop / step:8.1f} "
              f"{share:8.1%} {max(x['rss_mib'] for x in rs):9.0f}")
    print()
    for notes in sorted({run[1] for run in runs}):
        ours, theirs = records[("Tenfold", notes)], records[("PyTorch", notes)]
        t_step, p_step = med(ours, "step_s_median"), med(theirs, "step_s_median")
        t_rss, p_rss = max(x["rss_mib"] for x in ours), max(x["rss_mib"] for x in theirs)
        print(f"ratio of median step times{' with notes' if notes else ''}, Tenfold / PyTorch ({label}): "
              f"{t_step / p_step:.3f}  (peak memory ratio {t_rss / p_rss:.2f}; {gflop:.1f} GFLOP per step; "
              f"SGEMM peak {min(peaks):.0f}–{max(peaks):.0f} GFLOP/s; torch {theirs[0].get('torch', '?')})")
    # Tenfold's own ceiling (mlm and classify): its linear layers' products inside the profiled
    # step, against each round's peak, and the step's share of that peak if every product ran
    # at it while the rest of the step (attention's core, elementwise passes, optimizer) stayed.
    ours = [x for x in records[("Tenfold", False)] if "product_gflop" in x]
    if ours:
        rounds = list(zip(ours, peaks))
        products = [x["product_gflop"] / x["product_s"] / peak for x, peak in rounds]
        ceilings = [gflop / (x["product_gflop"] / peak + x["rest_s"]) / peak
                    for x, peak in rounds]
        print(f"Tenfold's products inside the step: {statistics.median(products):.1%} of the peak "
              f"(rounds {min(products):.1%}–{max(products):.1%}); with every product at the peak and the rest of "
              f"the step as it was, at most {statistics.median(ceilings):.1%} "
              f"(rounds {min(ceilings):.1%}–{max(ceilings):.1%})")
    if args.notes:
        for side in ("Tenfold", "PyTorch"):
            with_notes, without = records[(side, True)], records[(side, False)]
            each = [a["step_s_median"] / b["step_s_median"] for a, b in zip(with_notes, without)]
            own = [x["notes_s_median"] / x["step_s_median"] for x in with_notes]
            print(f"TNF's notes on {side}: step with ÷ without {statistics.median(each):.3f} "
                  f"(rounds {min(each):.3f}–{max(each):.3f}); the notes' own time "
                  f"{med(with_notes, 'notes_s_median') * 1e3:.1f} ms = {statistics.median(own):.1%} of the step "
                  f"(rounds {min(own):.1%}–{max(own):.1%}); {with_notes[-1].get('rare_words')} rare words, "
                  f"{with_notes[-1].get('noted_occurrences')} occurrences noted and "
                  f"{with_notes[-1].get('mixed_occurrences')} mixed per step")
    print(f"load average (1 min) over the rounds: {min(min(l) for l in loads):.1f}–{max(max(l) for l in loads):.1f} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

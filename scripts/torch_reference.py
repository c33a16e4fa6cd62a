#!/usr/bin/env python3
"""Tenfold's PyTorch reference: one training step of Tenfold's BERT, on the CPU, in PyTorch.

    /tmp/torchref/bin/python scripts/torch_reference.py --preset mini [--objective classify]
    /tmp/torchref/bin/python scripts/torch_reference.py --check

`tenfold bench --preset P [--objective O] --json` times Tenfold's step; this script times the
same step written the way one would write it in PyTorch for speed on a CPU, and prints one
JSON line with the same field names, so that `scripts/bench_vs_torch.py` (`make bench`) can
put the two side by side. It installs nothing: `make torch-venv` gives a Python with
torch==2.13.0+cpu in /tmp/torchref.

The model is Tenfold's (Sources/Transformer): word and position embeddings (no token types),
their LayerNorm and dropout; L post-LN encoder layers, each `x = LN(x + drop(attn(x)))`,
`x = LN(x + drop(W2·gelu(W1·x)))` with the exact (erf) GELU, dropout 0.1 also on the
attention probabilities, LayerNorm ε 1e-12; weights N(0, 0.02²), biases 0. Written for speed:
one Linear for the queries, keys and values together; the attention core as
`--attention sdpa|explicit` (the default is the one measured faster, see ATTENTION below);
heads applied only where the loss needs them.

Objectives (`--objective`; each is one class below, listed in OBJECTIVES):
  mlm       BERT's masked LM: per sequence round(0.15·T) = 19 distinct positions, 80% [MASK],
            10% a random token, 10% kept; the head Linear(H→H) → GELU → LN → logits against
            the word table (tied) plus a bias, at those positions only; cross-entropy.
  classify  a fine-tuning step (Sources/Finetuning/SequenceClassifier.swift): [CLS] (position
            0) → Linear(H→H) → tanh → dropout → Linear(H→2), cross-entropy over the B sequences.
A new objective (ELECTRA's generator and discriminator, MC-BERT's controller, TNF's notes
through `Embeddings(..., augment=...)`) is one more class with the same four members:
`make_batch`, `forward(batch) -> loss`, `predictions` and `objective_flops` (what the step
computes beyond the main encoder: heads, and a second network where there is one).

The step, as Tenfold takes it: forward to the loss; backward; the gradients clipped to a global
norm of 1; AdamW (β 0.9/0.999, ε 1e-6, weight decay 0.01 except on biases and LayerNorm,
η 1e-4 held constant: the time does not depend on it) in its `--adamw fused|foreach` form
(default: the faster, see ADAMW below); the gradients dropped (`zero_grad(set_to_none=True)`).
The optimizer time covers clipping, the update and the zeroing, as Tenfold's does. The same
fixed batch is used at every step (ids uniform over 5…V−1, as `tenfold bench` draws them).

Timing: `--warmup` untimed steps, then `--steps` timed ones; each step's forward, backward and
optimizer parts are timed with `time.perf_counter` after `torch.cpu.synchronize()` (CPU
kernels run synchronously in eager mode, so that call only makes the boundary explicit);
the JSON line has their medians, the median/min/max step, tokens/s, the step's FLOPs and
GFLOP/s, the peak resident memory (getrusage) and `profile_s`, one more step's time by
category from torch.profiler (not counted in the medians).

FLOPs are counted as `tenfold bench` counts them (BenchTrainingStep.swift, `flops`): matrix
products only, backward = 2 × forward, 2 FLOPs per multiply-add, N = B·T tokens:
  encoder    6·L·P·N, with P = the parameters of one layer, biases and LayerNorm included:
             (3H² + 3H) + (H² + H) + 4H + (HF + F) + (FH + H)
  attention  3·L·4·B·T²·H           (QKᵀ and PV)
  mlm        head_transform 6·H²·n and vocab 6·n·H·V, n = the B·19 predicted rows
  classify   head_transform 6·B·(H² + 2H)
`--check` recomputes the products the step really runs (torch.utils.flop_counter) on a tiny
configuration and compares them with this formula, compares the formula, the parameter count
and the predicted rows with `tenfold bench --json` on mini when a release build of tenfold is
there, and checks that the loss goes down over a few steps.

Choices measured (torch 2.13.0+cpu, a busy 2-core machine; A/B interleaved 20 times, medians;
CPU time on 1 thread is the steadier measure there, wall time on 2 threads the one that counts):
  ATTENTION  the attention core's forward and backward for one mini layer ([32, 4, 128, 64],
             dropout 0.1 on the probabilities): `scaled_dot_product_attention` 54.2 ms of CPU on
             1 thread, 244 ms wall on 2; explicit softmax(QKᵀ/√D)·V 50.3 ms and 200 ms. With a
             dropout probability SDPA does not use its fused CPU kernel but a composite path
             (a NaN-safe softmax, then dropout), slower than writing it out. (Without dropout
             its fused kernel takes 32.5 ms, but that is another model.) The scale goes on Q
             (T·D numbers) rather than on the scores (T·T): the same within noise here.
             Over whole mini mlm steps (10 each, alternating, 1 thread, CPU time): explicit
             1.375 s, SDPA 1.404 s.
             Default: explicit; `--attention sdpa` times the other.
  ADAMW      clipping, update and zeroing for mini's 5.4M parameters: `fused=True` 5.8 ms of
             CPU on 1 thread, 27.5 ms wall on 2; `foreach=True` 25.0 ms and 91.8 ms.
             Default: fused; `--adamw foreach` times the other.
`torch.compile` is not used: the reference is eager PyTorch, as a plain training script runs.
"""
import argparse
import contextlib
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    sys.exit(f"torch_reference.py: there is no PyTorch in {sys.executable}; run `make torch-venv` "
             "and run this script with /tmp/torchref/bin/python.")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class Shape:
    L: int  # layers
    H: int  # hidden size
    A: int  # attention heads
    F: int  # feed-forward size
    V: int  # vocabulary
    T: int  # sequence length
    B: int  # batch size


# ModelConfiguration.presets (Sources/Transformer/Model/ModelConfiguration.swift) with their
# benchmark vocabulary and batch size; `--check` reads that file and compares.
PRESETS = {
    "mini": Shape(L=4, H=256, A=4, F=1024, V=8192, T=128, B=32),
    "small": Shape(L=4, H=512, A=8, F=2048, V=30522, T=128, B=16),
    "base": Shape(L=12, H=768, A=12, F=3072, V=30522, T=128, B=8),
}
# `--check`'s configuration: the "tiny" preset's sizes, a small vocabulary, 8 sequences.
TINY = Shape(L=2, H=32, A=2, F=64, V=512, T=32, B=8)

PAD, CLS, MASK = 0, 2, 4   # special ids 0…4 ([PAD] [UNK] [CLS] [SEP] [MASK]); words from 5
FIRST_WORD = 5
LN_EPS = 1e-12
INIT_STD = 0.02
PREDICTED_SHARE = 0.15     # BERT: 15% of the positions are predicted
DEFAULT_ATTENTION = "explicit"
DEFAULT_ADAMW = "fused"


# MARK: - The encoder

class Embeddings(nn.Module):
    """Word + position embeddings, LayerNorm, dropout.

    `augment(x, batch)`, when given, changes the summed embeddings before the LayerNorm: the
    place of Tenfold's input seam (TNF's notes mix a note into a rare word's embedding there).
    """

    def __init__(self, V, T, H, dropout):
        super().__init__()
        self.word = nn.Embedding(V, H)
        self.position = nn.Embedding(T, H)
        self.norm = nn.LayerNorm(H, eps=LN_EPS)
        self.p = dropout

    def forward(self, ids, augment=None, batch=None):
        x = self.word(ids) + self.position.weight[: ids.shape[1]]
        if augment is not None:
            x = augment(x, batch)
        return F.dropout(self.norm(x), self.p, self.training)


class SelfAttention(nn.Module):
    """Multi-head self-attention with one product for Q, K and V."""

    def __init__(self, H, A, dropout, attention):
        super().__init__()
        self.A, self.D = A, H // A
        self.qkv = nn.Linear(H, 3 * H)
        self.output = nn.Linear(H, H)
        self.p = dropout
        self.attention = attention

    def forward(self, x):
        B, T, H = x.shape
        # [B, T, 3, A, D] → three [B, A, T, D] views, no copy.
        q, k, v = self.qkv(x).view(B, T, 3, self.A, self.D).permute(2, 0, 3, 1, 4).unbind(0)
        p = self.p if self.training else 0.0
        if self.attention == "sdpa":
            context = F.scaled_dot_product_attention(q, k, v, dropout_p=p)
        else:
            # The scale on Q (T·D numbers) rather than on the scores (T·T).
            scores = torch.matmul(q * (1.0 / math.sqrt(self.D)), k.transpose(-2, -1))
            probabilities = F.dropout(torch.softmax(scores, dim=-1), p, self.training)
            context = torch.matmul(probabilities, v)
        return self.output(context.transpose(1, 2).reshape(B, T, H))


class EncoderLayer(nn.Module):
    """Post-LN: x = LN(x + drop(attn(x))); x = LN(x + drop(W2·gelu(W1·x)))."""

    def __init__(self, H, A, FF, dropout, attention):
        super().__init__()
        self.attention = SelfAttention(H, A, dropout, attention)
        self.attention_norm = nn.LayerNorm(H, eps=LN_EPS)
        self.intermediate = nn.Linear(H, FF)
        self.output = nn.Linear(FF, H)
        self.output_norm = nn.LayerNorm(H, eps=LN_EPS)
        self.p = dropout

    def forward(self, x):
        x = self.attention_norm(x + F.dropout(self.attention(x), self.p, self.training))
        h = self.output(F.gelu(self.intermediate(x)))  # exact (erf) GELU, as Tenfold's
        return self.output_norm(x + F.dropout(h, self.p, self.training))


class Encoder(nn.Module):
    def __init__(self, s: Shape, dropout, attention):
        super().__init__()
        self.embeddings = Embeddings(s.V, s.T, s.H, dropout)
        self.layers = nn.ModuleList(EncoderLayer(s.H, s.A, s.F, dropout, attention) for _ in range(s.L))

    def forward(self, ids, augment=None, batch=None):
        x = self.embeddings(ids, augment, batch)
        for layer in self.layers:
            x = layer(x)
        return x  # [B, T, H]


def initialise(module):
    """BERT's initialisation, as Tenfold's ParameterStore: weights N(0, σ²), biases 0, LN 1/0."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=INIT_STD)
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)
        if isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


# MARK: - Objectives
#
# Each objective owns its networks and says how to draw its batch, what its loss is, what it
# costs in FLOPs beyond the main encoder and how many rows it predicts. Add one as another
# class and list it in OBJECTIVES.

def predicted_per_sequence(s: Shape):
    return int(round(PREDICTED_SHARE * s.T))  # 19 for T = 128, as `tenfold bench`


class MaskedLM(nn.Module):
    """BERT's masked LM; the head only at the predicted rows, its decoder tied to the word table."""

    name = "mlm"

    def __init__(self, s: Shape, dropout, attention):
        super().__init__()
        self.encoder = Encoder(s, dropout, attention)
        self.transform = nn.Linear(s.H, s.H)
        self.norm = nn.LayerNorm(s.H, eps=LN_EPS)
        self.bias = nn.Parameter(torch.zeros(s.V))
        initialise(self)

    @staticmethod
    def make_batch(s: Shape, gen):
        """Ids uniform over 5…V−1; per sequence, 19 distinct positions, corrupted 80/10/10."""
        ids = torch.randint(FIRST_WORD, s.V, (s.B, s.T), generator=gen)
        k = predicted_per_sequence(s)
        positions = torch.rand(s.B, s.T, generator=gen).argsort(dim=1)[:, :k].sort(dim=1).values
        labels = ids.gather(1, positions)
        r = torch.rand(s.B, k, generator=gen)
        random_words = torch.randint(FIRST_WORD, s.V, (s.B, k), generator=gen)
        corrupted = torch.where(r < 0.8, torch.full_like(labels, MASK), torch.where(r < 0.9, random_words, labels))
        rows = (positions + s.T * torch.arange(s.B).unsqueeze(1)).reshape(-1)  # flat row of [B·T, H]
        return dict(ids=ids.scatter(1, positions, corrupted), rows=rows, labels=labels.reshape(-1))

    def forward(self, batch):
        hidden = self.encoder(batch["ids"])
        h = hidden.reshape(-1, hidden.shape[-1]).index_select(0, batch["rows"])  # [n, H]
        h = self.norm(F.gelu(self.transform(h)))
        logits = F.linear(h, self.encoder.embeddings.word.weight, self.bias)    # [n, V], tied
        return F.cross_entropy(logits, batch["labels"])

    @staticmethod
    def predictions(s: Shape):
        return s.B * predicted_per_sequence(s)

    @staticmethod
    def objective_flops(s: Shape, n):
        return {"head_transform": 6 * s.H * s.H * n, "vocab": 6 * n * s.H * s.V}


class SequenceClassification(nn.Module):
    """The fine-tuning step: [CLS] → Linear(H→H) → tanh → dropout → Linear(H→2)."""

    name = "classify"
    classes = 2

    def __init__(self, s: Shape, dropout, attention):
        super().__init__()
        self.encoder = Encoder(s, dropout, attention)
        self.dense = nn.Linear(s.H, s.H)
        self.classifier = nn.Linear(s.H, self.classes)
        self.p = dropout
        initialise(self)

    @classmethod
    def make_batch(cls, s: Shape, gen):
        ids = torch.randint(FIRST_WORD, s.V, (s.B, s.T), generator=gen)
        ids[:, 0] = CLS
        return dict(ids=ids, labels=torch.randint(0, cls.classes, (s.B,), generator=gen))

    def forward(self, batch):
        pooled = torch.tanh(self.dense(self.encoder(batch["ids"])[:, 0]))
        return F.cross_entropy(self.classifier(F.dropout(pooled, self.p, self.training)), batch["labels"])

    @staticmethod
    def predictions(s: Shape):
        return s.B

    @classmethod
    def objective_flops(cls, s: Shape, n):
        assert cls.classes == 2, "tenfold bench counts 6·B·(H² + 2H): two classes"
        return {"head_transform": 6 * s.B * (s.H * s.H + 2 * s.H)}


OBJECTIVES = {o.name: o for o in (MaskedLM, SequenceClassification)}


# MARK: - Counting

def layer_parameters(s: Shape):
    """One encoder layer's parameters: Q, K, V, output, two LayerNorms, the feed-forward pair."""
    H, FF = s.H, s.F
    return (3 * H * H + 3 * H) + (H * H + H) + 2 * (2 * H) + (H * FF + FF) + (FF * H + H)


def step_flops(s: Shape, objective):
    """The step's FLOPs by `tenfold bench`'s formula: (total, breakdown)."""
    tokens = s.B * s.T
    parts = {
        "encoder": 6 * s.L * layer_parameters(s) * tokens,
        "attention": 3 * s.L * (2 * 2 * s.B * s.T * s.T * s.H),
    }
    parts.update(objective.objective_flops(s, objective.predictions(s)))
    return sum(parts.values()), parts


# MARK: - The step

def make_optimizer(model, variant, lr=1e-4):
    """AdamW as Tenfold's: decay on the weights and tables (rank ≥ 2), not on biases or LayerNorm."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [dict(params=decay, weight_decay=0.01), dict(params=no_decay, weight_decay=0.0)]
    kind = dict(fused=True) if variant == "fused" else dict(foreach=True)
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.999), eps=1e-6, **kind)


class Step:
    """forward → loss; backward; clip to norm 1; AdamW; gradients dropped. Times each part."""

    def __init__(self, model, optimizer, batch, clip=1.0):
        self.model, self.optimizer, self.batch, self.clip = model, optimizer, batch, clip
        self.parameters = [p for p in model.parameters()]

    def __call__(self, profiler=None):
        torch.cpu.synchronize()
        t0 = time.perf_counter()
        loss = self.model(self.batch)
        torch.cpu.synchronize()
        t1 = time.perf_counter()
        loss.backward()
        torch.cpu.synchronize()
        t2 = time.perf_counter()
        if profiler is not None:
            with quiet_stderr():
                profiler.stop()  # the profile covers forward and backward; the optimizer is timed
        if self.clip:
            torch.nn.utils.clip_grad_norm_(self.parameters, self.clip, foreach=True)
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        torch.cpu.synchronize()
        t3 = time.perf_counter()
        return dict(forward=t1 - t0, backward=t2 - t1, optimizer=t3 - t2, total=t3 - t0, loss=loss.item())


@contextlib.contextmanager
def quiet_stderr():
    """The profiler's C++ side logs a line to stderr as it starts and stops; keep the output
    to the JSON line."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def profile_categories(step):
    """One more step, its forward and backward by operation (torch.profiler), in the categories
    of `tenfold bench`'s profile_s: matmul, attention, elementwise, optimizer, other."""
    from torch.profiler import ProfilerActivity, profile

    prof = profile(activities=[ProfilerActivity.CPU], record_shapes=True)
    with quiet_stderr():
        prof.start()
    timing = step(profiler=prof)
    result = dict(matmul=0.0, attention=0.0, elementwise=0.0, optimizer=timing["optimizer"])
    for event in prof.key_averages(group_by_input_shape=True):
        name, seconds = event.key, event.self_cpu_time_total / 1e6
        if seconds <= 0 or not name.startswith("aten::"):
            continue  # autograd's and Python's wrappers: their own time is left to "other"
        shapes = event.input_shapes or []
        rank = len(shapes[0]) if shapes and isinstance(shapes[0], list) else 0
        if name in ("aten::addmm", "aten::mm"):
            result["matmul"] += seconds
        elif ("attention" in name or name in ("aten::bmm", "aten::baddbmm", "aten::_softmax",
                                                "aten::_softmax_backward_data") or rank == 4):
            result["attention"] += seconds  # the core, and its rank-4 dropout and copies
        elif name.startswith("aten::"):
            result["elementwise"] += seconds
    result["other"] = max(0.0, timing["total"] - sum(result.values()))
    return result


def peak_rss_mib():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform.startswith("linux") else rss / 2**20


def build(s: Shape, objective_name, dropout, attention, seed=0):
    torch.manual_seed(seed)
    objective = OBJECTIVES[objective_name]
    model = objective(s, dropout, attention)
    model.train()
    batch = objective.make_batch(s, torch.Generator().manual_seed(seed + 1))
    return objective, model, batch


def bench(args):
    s = PRESETS[args.preset]
    objective, model, batch = build(s, args.objective, args.dropout, args.attention)
    step = Step(model, make_optimizer(model, args.adamw), batch, clip=args.clip)

    started = time.perf_counter()
    first = None
    for _ in range(args.warmup):
        t = step()
        first = first if first is not None else t["total"]
    warmup_total = time.perf_counter() - started
    timings = [step() for _ in range(args.steps)]
    if first is None:
        first = timings[0]["total"]
    profile = profile_categories(step) if args.profile else {}

    def median(key):
        return statistics.median(t[key] for t in timings)

    totals = sorted(t["total"] for t in timings)
    step_s = statistics.median(totals)
    flops, breakdown = step_flops(s, objective)
    result = dict(
        config=args.preset, impl="torch", objective=args.objective, threads=torch.get_num_threads(),
        dropout=args.dropout, params_total=sum(p.numel() for p in model.parameters()),
        step_s_median=step_s, step_s_min=totals[0], step_s_max=totals[-1],
        fwd_s_median=median("forward"), bwd_s_median=median("backward"), opt_s_median=median("optimizer"),
        first_step_s=first, warmup_total_s=warmup_total,
        tokens_per_s=s.B * s.T / step_s,
        gflop_step_executed=flops / 1e9, gflop_step_model=flops / 1e9,
        gflop_breakdown_executed={k: v / 1e9 for k, v in breakdown.items()},
        achieved_gflops_executed=flops / step_s / 1e9, achieved_gflops_model=flops / step_s / 1e9,
        n_pred=objective.predictions(s), loss_last=timings[-1]["loss"],
        peak_rss_mb=peak_rss_mib(), profile_s=profile,
        torch=torch.__version__, attention=args.attention, adamw=args.adamw, clip=args.clip,
    )
    if args.peak > 0:
        result.update(peak_gflops=args.peak, mfu_executed=result["achieved_gflops_executed"] / args.peak,
                      mfu_model=result["achieved_gflops_executed"] / args.peak)
    print(json.dumps(result))


# MARK: - --check

def check(args):
    """Small, fast checks that the step is the one it claims to be; exits 1 on a failure."""
    failures = []

    def report(ok, what):
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(what)

    from torch.utils.flop_counter import FlopCounterMode

    print(f"torch_reference.py --check (torch {torch.__version__}, {torch.get_num_threads()} threads)")
    for name, objective in OBJECTIVES.items():
        # 1. The products the step runs are those the formula counts. The formula also counts
        # each layer's biases and LayerNorm parameters as 6 FLOPs per token (it is 6·P·N);
        # those are not products, so they are taken out before comparing.
        _, model, batch = build(TINY, name, 0.1, "explicit")
        with FlopCounterMode(display=False) as counter:
            model(batch).backward()
        counted = counter.get_total_flops()
        total, _ = step_flops(TINY, objective)
        s = TINY
        not_products = 6 * s.L * (3 * s.H + s.H + 4 * s.H + s.F + s.H) * s.B * s.T
        report(counted == total - not_products,
               f"{name}: the matrix products of one step, {counted} FLOPs counted by torch, "
               f"= the formula's {total} less {not_products} for biases and LayerNorm")

        # 2. The loss goes down over a few steps on a fixed batch (η 1e-3 here, for speed).
        _, model, batch = build(TINY, name, 0.1, args.attention)
        step = Step(model, make_optimizer(model, args.adamw, lr=1e-3), batch)
        losses = [step()["loss"] for _ in range(25)]
        report(min(losses[-5:]) < losses[0] - 0.1,
               f"{name}: loss {losses[0]:.3f} → {losses[-1]:.3f} over 25 steps on one batch")

    # 3. Both attention paths compute the same function (no dropout).
    _, model, batch = build(TINY, "mlm", 0.0, "explicit")
    explicit = model(batch).item()
    for layer in model.encoder.layers:
        layer.attention.attention = "sdpa"
    sdpa = model(batch).item()
    report(abs(explicit - sdpa) < 1e-5, f"sdpa and explicit attention give the same loss ({sdpa:.6f}, {explicit:.6f})")

    # 4. The presets are ModelConfiguration.presets.
    swift = os.path.join(ROOT, "Sources", "Transformer", "Model", "ModelConfiguration.swift")
    if os.path.exists(swift):
        text = open(swift).read()
        for preset, s in PRESETS.items():
            m = re.search(rf'name: "{preset}", hiddenSize: (\d+), layers: (\d+), heads: (\d+), feedForwardSize: (\d+), '
                          rf'maxSequenceLength: (\d+),\s*benchmark: \.init\(vocabularySize: (\d+), batchSize: (\d+)\)', text)
            found = tuple(map(int, m.groups())) if m else None
            report(found == (s.H, s.L, s.A, s.F, s.T, s.V, s.B), f"preset {preset} as in ModelConfiguration.swift: {found}")
    else:
        print(f"  skip the presets: no {swift}")

    # 5. `tenfold bench` counts the same FLOPs and parameters and predicts the same rows.
    tenfold = args.tenfold or os.path.join(ROOT, ".build", "release", "tenfold")
    if os.path.exists(tenfold):
        for name, objective in OBJECTIVES.items():
            run = subprocess.run([tenfold, "bench", "--preset", "mini", "--objective", name, "--steps", "1",
                                  "--warmup", "0", "--json"], capture_output=True, text=True)
            lines = [l for l in run.stdout.splitlines() if l.startswith("{")]
            if run.returncode != 0 or not lines:
                report(False, f"{name}: `tenfold bench --preset mini --json` failed: {run.stderr.strip()[-300:]}")
                continue
            theirs = json.loads(lines[-1])
            s = PRESETS["mini"]
            total, parts = step_flops(s, objective)
            _, model, _ = build(s, name, 0.1, args.attention)
            params = sum(p.numel() for p in model.parameters())
            same_parts = all(math.isclose(parts[k] / 1e9, v, rel_tol=1e-9)
                             for k, v in theirs["gflop_breakdown_executed"].items()) \
                and set(parts) == set(theirs["gflop_breakdown_executed"])
            report(math.isclose(total / 1e9, theirs["gflop_step_executed"], rel_tol=1e-9) and same_parts,
                   f"{name}: mini's {total / 1e9:.3f} GFLOP per step by part = tenfold bench's "
                   f"{theirs['gflop_step_executed']:.3f}")
            report(params == theirs["params_total"] and objective.predictions(s) == theirs["n_pred"],
                   f"{name}: mini's {params} parameters and {objective.predictions(s)} predicted rows = "
                   f"tenfold's {theirs['params_total']} and {theirs['n_pred']}")
    else:
        print(f"  skip the comparison with tenfold bench: no {tenfold} "
              "(swift build -c release --product tenfold, or pass --tenfold)")

    print(f"{len(failures)} failed" if failures else "all checks passed")
    sys.exit(1 if failures else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="See the module docstring for the model, the step and the FLOP formula.")
    ap.add_argument("--preset", "--config", dest="preset", default="mini", choices=PRESETS,
                    help="the shapes of `tenfold bench --preset` (default mini)")
    ap.add_argument("--objective", default="mlm", choices=OBJECTIVES)
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    ap.add_argument("--steps", type=int, default=10, help="timed steps (default 10)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps first (default 3)")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--attention", default=DEFAULT_ATTENTION, choices=["sdpa", "explicit"],
                    help=f"the attention core (default {DEFAULT_ATTENTION}, the faster on CPU)")
    ap.add_argument("--adamw", default=DEFAULT_ADAMW, choices=["fused", "foreach"],
                    help=f"torch.optim.AdamW's implementation (default {DEFAULT_ADAMW}, the faster on CPU)")
    ap.add_argument("--clip", type=float, default=1.0, help="global gradient-norm clipping (0: none; default 1)")
    ap.add_argument("--peak", type=float, default=0.0, help="SGEMM peak in GFLOP/s, for mfu_executed")
    ap.add_argument("--no-profile", dest="profile", action="store_false",
                    help="skip the profiled extra step (profile_s is then empty)")
    ap.add_argument("--check", action="store_true",
                    help="check the FLOP count, the presets and that the loss decreases, then exit")
    ap.add_argument("--tenfold", default="", help="tenfold binary for --check (default .build/release/tenfold)")
    args = ap.parse_args()
    if args.steps < 1 or args.warmup < 0 or args.threads < 1:
        ap.error("--steps and --threads must be at least 1, --warmup at least 0")
    torch.set_num_threads(args.threads)
    if args.check:
        check(args)
    else:
        bench(args)


if __name__ == "__main__":
    main()

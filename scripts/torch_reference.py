#!/usr/bin/env python3
"""Tenfold's PyTorch reference: one training step of Tenfold's BERT, on the CPU, in PyTorch.

    /tmp/torchref/bin/python scripts/torch_reference.py --preset mini [--objective electra] [--notes]
    /tmp/torchref/bin/python scripts/torch_reference.py --check

`tenfold bench --preset P [--objective O] [--notes] --json` times Tenfold's step; this script times the
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
  electra   chapter 5's ELECTRA (Sources/MetaController/ELECTRA.swift): the same 19 positions,
            85% [MASK] and 15% kept; a generator of width w (64 at mini: ⌊H/3 / 64⌋·64, one
            head of 64, feed-forward 4w, the main depth; see `helper_shape`) reads the main
            word table through its own projection H → w, with its own positions and LayerNorms;
            its head at the picked rows, Linear(w→H) → GELU → LN → logits against the table
            plus its own bias, cross-entropy; one token drawn per picked row from its softmax
            (no gradient, `torch.multinomial`); the main encoder reads the sampled sequence and
            its head Linear(H→H) → GELU → Linear(H→1) says at every token whether it was
            replaced (binary cross-entropy); loss = generator + 50·discriminator.
  mc-bert   chapter 5's MC-BERT (Sources/MetaController/MCBERT.swift): all 19 positions
            [MASK]; a meta controller of width w like the generator, its head Linear(w→w) →
            GELU → LN → logits against the table through the same projection (E·W_p + c_p) plus
            the main head's bias, cross-entropy at the picked rows; without gradient, its head
            at every token and K = 10 draws per token, with replacement; picked positions take
            draw 0; the main head Linear(H→H) → GELU → LN scores K candidates per token —
            [NOTA] (a row and bias of its own), the original if replaced else draw 1, draws
            2…9 — as h·E[c] + b[c] (a batched product over the gathered rows); K-way
            cross-entropy; loss = controller + 50·multiple choice.
  classify  a fine-tuning step (Sources/Finetuning/SequenceClassifier.swift): [CLS] (position
            0) → Linear(H→H) → tanh → dropout → Linear(H→2), cross-entropy over the B sequences.
A new objective is one more class with the same members: `make_batch`, `forward(batch,
augment) -> (loss, the main encoder's final hidden states)`, `predictions` and
`objective_flops` (what the step computes beyond the main encoder: heads, and a second
network where there is one). ELECTRA's and MC-BERT's draws come from their own seeded
stream (`build`: seed + 2), as Tenfold's come from one seeded by the update.

`--notes` (pre-training objectives) adds chapter 4's TNF (Sources/NoteTaking; `Notes` below)
on the main encoder's input, as `tenfold bench --notes` does: the ids 5, 45, 85, … (one in
40) are declared rare words, every token a word of its own, since uniform ids have no words;
the note mixed into intact rare-word occurrences before the embedding LayerNorm, and the
dictionary updated from the final hidden states after the optimizer step (timed with it).

The step, as Tenfold takes it: forward to the loss; backward; the gradients clipped to a global
norm of 1; AdamW (β 0.9/0.999, ε 1e-6, weight decay 0.01 except on biases and LayerNorm,
η 1e-4 held constant: the time does not depend on it) in its `--adamw fused|foreach` form
(default: the faster, see ADAMW below); the gradients dropped (`zero_grad(set_to_none=True)`).
The optimizer time covers clipping, the update and the zeroing, as Tenfold's does (and with
notes the dictionary's update). The same fixed batch is used at every step (ids uniform over
5…V−1, as `tenfold bench` draws them).

Timing: `--warmup` untimed steps, then `--steps` timed ones; each step's forward, backward and
optimizer parts are timed with `time.perf_counter` after `torch.cpu.synchronize()` (CPU
kernels run synchronously in eager mode, so that call only makes the boundary explicit);
the JSON line has their medians, the median/min/max step, tokens/s, the step's FLOPs and
GFLOP/s, the peak resident memory (getrusage) and `profile_s`, one more step's time by
category from torch.profiler (not counted in the medians; MC-BERT's candidate product, a
batched one, lands in its "attention"). With `--notes` it adds `notes_s_median`, the notes'
own time per step (mixing and update, without the mixing's backward pass), `rare_words` and
the last step's `noted_occurrences` and `mixed_occurrences`.

FLOPs are counted as `tenfold bench` counts them (BenchTrainingStep.swift, `flops`): matrix
products only, backward = 2 × forward, 2 FLOPs per multiply-add, N = B·T tokens:
  encoder    6·L·P·N, with P = the parameters of one layer, biases and LayerNorm included:
             (3H² + 3H) + (H² + H) + 4H + (HF + F) + (FH + H)
  attention  3·L·4·B·T²·H           (QKᵀ and PV)
  mlm        head_transform 6·H²·n and vocab 6·n·H·V, n = the B·19 predicted rows
  electra    the generator's layers 6·L·P_w·N (P_w: one layer of width w, feed-forward 4w) and
             attention 3·L·4·B·T²·w, its input projection 6·N·H·w, generator_head 6·n·w·H,
             generator_vocab 6·n·H·V, discriminator_head 6·N·(H² + H)
  mc-bert    the controller's layers, attention and projection as the generator's,
             controller_table 6·V·H·w, controller_head 6·n·w², controller_vocab 6·n·w·V,
             controller_sampling 2·N·(w² + w·V) (forward only), head_transform 6·N·H²,
             candidates 6·N·K·H
  classify   head_transform 6·B·(H² + 2H)
These are `TrainingFLOPs` (Sources/Catalog), which `tenfold bench` reports. The sampling and
the notes run no product and add nothing (TrainingFLOPs' small `notes` term, not a product, is
left out on both sides).
`--check` recomputes the products the step really runs (torch.utils.flop_counter) on a tiny
configuration and compares them with this formula for every objective; loads the weights and
samples of Tenfold's ELECTRA/MC-BERT fixture into the reference's networks and compares the
losses and the word table's gradient; compares the vectorised notes with a loop over the
occurrences on a batch with rare words planted where TNF's rules matter; compares the formula,
the parameter count, the predicted rows and the rare words with `tenfold bench --json` on mini
when a release build of tenfold is there; and checks that the loss goes down over a few steps
(with notes: and differs from the loss without them).

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

    With `table_width`, the network has no word table of its own: it reads another network's
    (`forward(..., table=E)`, `[V, table_width]`) through its own projection
    Linear(table_width → H), right after the lookup — chapter 5's generator and meta controller
    reading the main model's table. Its positions and LayerNorm stay its own.

    `augment(x, batch)`, when given, changes the summed embeddings before the LayerNorm: the
    place of Tenfold's input seam (TNF's notes mix a note into a rare word's embedding there).
    """

    def __init__(self, V, T, H, dropout, table_width=None):
        super().__init__()
        self.word = nn.Embedding(V, H) if table_width is None else None
        self.projection = nn.Linear(table_width, H) if table_width is not None else None
        self.position = nn.Embedding(T, H)
        self.norm = nn.LayerNorm(H, eps=LN_EPS)
        self.p = dropout

    def forward(self, ids, table=None, augment=None, batch=None):
        x = F.embedding(ids, self.word.weight if self.word is not None else table)
        if self.projection is not None:
            x = self.projection(x)
        x = x + self.position.weight[: ids.shape[1]]
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

    def forward(self, x, key_mask=None):
        """`key_mask [B, T]` (False: padding, never attended to) only for `--check`'s fixture;
        the benchmark's sequences have no padding."""
        B, T, H = x.shape
        # [B, T, 3, A, D] → three [B, A, T, D] views, no copy.
        q, k, v = self.qkv(x).view(B, T, 3, self.A, self.D).permute(2, 0, 3, 1, 4).unbind(0)
        p = self.p if self.training else 0.0
        if self.attention == "sdpa":
            mask = key_mask[:, None, None, :] if key_mask is not None else None
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=p)
        else:
            # The scale on Q (T·D numbers) rather than on the scores (T·T).
            scores = torch.matmul(q * (1.0 / math.sqrt(self.D)), k.transpose(-2, -1))
            if key_mask is not None:
                scores = scores.masked_fill(~key_mask[:, None, None, :], float("-inf"))
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

    def forward(self, x, key_mask=None):
        x = self.attention_norm(x + F.dropout(self.attention(x, key_mask), self.p, self.training))
        h = self.output(F.gelu(self.intermediate(x)))  # exact (erf) GELU, as Tenfold's
        return self.output_norm(x + F.dropout(h, self.p, self.training))


class Encoder(nn.Module):
    """Embeddings and L layers; `table_width`: a helper reading another network's table (see Embeddings)."""

    def __init__(self, s: Shape, dropout, attention, table_width=None):
        super().__init__()
        self.embeddings = Embeddings(s.V, s.T, s.H, dropout, table_width)
        self.layers = nn.ModuleList(EncoderLayer(s.H, s.A, s.F, dropout, attention) for _ in range(s.L))

    def forward(self, ids, table=None, augment=None, batch=None):
        x = self.embeddings(ids, table, augment, batch)
        key_mask = batch.get("key_mask") if batch is not None else None
        for layer in self.layers:
            x = layer(x, key_mask)
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
# class and list it in OBJECTIVES. `forward(batch, augment)` returns the loss and the main
# encoder's final hidden states (what TNF's notes are taken from after the step).

def predicted_per_sequence(s: Shape):
    return int(round(PREDICTED_SHARE * s.T))  # 19 for T = 128, as `tenfold bench`


def masked_batch(s: Shape, gen, mask_share, random_share):
    """Ids uniform over 5…V−1; per sequence, 19 distinct positions, each → [MASK] with
    probability `mask_share`, a random word with `random_share`, else left as it is (still
    predicted): BERT 0.8/0.1, ELECTRA 0.85/0, MC-BERT 1/0, as `tenfold bench` corrupts them."""
    ids = torch.randint(FIRST_WORD, s.V, (s.B, s.T), generator=gen)
    k = predicted_per_sequence(s)
    positions = torch.rand(s.B, s.T, generator=gen).argsort(dim=1)[:, :k].sort(dim=1).values
    labels = ids.gather(1, positions)
    r = torch.rand(s.B, k, generator=gen)
    random_words = torch.randint(FIRST_WORD, s.V, (s.B, k), generator=gen)
    corrupted = torch.where(r < mask_share, torch.full_like(labels, MASK),
                            torch.where(r < mask_share + random_share, random_words, labels))
    rows = (positions + s.T * torch.arange(s.B).unsqueeze(1)).reshape(-1)  # flat row of [B·T, H]
    picked = torch.zeros(s.B * s.T, dtype=torch.bool)
    picked[rows] = True
    lengths = torch.full((s.B,), s.T)                                     # no padding, as `tenfold bench`
    return dict(ids=ids.scatter(1, positions, corrupted), rows=rows, labels=labels.reshape(-1),
                original=ids.reshape(-1), picked=picked, lengths=lengths,
                real=(torch.arange(s.T) < lengths.unsqueeze(1)).reshape(-1))  # [B·T]: inside lengths


def helper_shape(s: Shape):
    """ELECTRA's generator and MC-BERT's meta controller (SmallMaskedLanguageModel.configuration):
    the main model's depth, width w = ⌊H/3 / 64⌋·64 with heads of 64 where H ≥ 192, else
    ⌊H/3 / D⌋·D with heads of the main model's size D, at least one head; feed-forward 4w.
    Mini: w = 64, 1 head; tiny: 16, 1 head."""
    head = 64 if s.H >= 192 else s.H // s.A
    w = max(1, s.H // 3 // head) * head
    return Shape(L=s.L, H=w, A=w // head, F=4 * w, V=s.V, T=s.T, B=s.B)


def helper_flops(name, s: Shape):
    """The helper network's layers, attention products and input projection H → w."""
    g = helper_shape(s)
    tokens = s.B * s.T
    return {f"{name}_encoder": 6 * g.L * layer_parameters(g) * tokens,
            f"{name}_attention": 3 * g.L * (2 * 2 * s.B * s.T * s.T * g.H),
            f"{name}_projection": 6 * tokens * s.H * g.H}


class MaskedLM(nn.Module):
    """BERT's masked LM; the head only at the predicted rows, its decoder tied to the word table."""

    name = "mlm"
    helper = None

    def __init__(self, s: Shape, dropout, attention, sampling=None):
        super().__init__()
        self.encoder = Encoder(s, dropout, attention)
        self.transform = nn.Linear(s.H, s.H)
        self.norm = nn.LayerNorm(s.H, eps=LN_EPS)
        self.bias = nn.Parameter(torch.zeros(s.V))
        initialise(self)

    @staticmethod
    def make_batch(s: Shape, gen):
        return masked_batch(s, gen, 0.8, 0.1)

    def forward(self, batch, augment=None):
        hidden = self.encoder(batch["ids"], augment=augment, batch=batch)
        h = hidden.reshape(-1, hidden.shape[-1]).index_select(0, batch["rows"])  # [n, H]
        h = self.norm(F.gelu(self.transform(h)))
        logits = F.linear(h, self.encoder.embeddings.word.weight, self.bias)    # [n, V], tied
        return F.cross_entropy(logits, batch["labels"]), hidden

    @staticmethod
    def predictions(s: Shape):
        return s.B * predicted_per_sequence(s)

    @staticmethod
    def objective_flops(s: Shape, n):
        return {"head_transform": 6 * s.H * s.H * n, "vocab": 6 * n * s.H * s.V}


class ELECTRA(nn.Module):
    """Chapter 5's ELECTRA (Sources/MetaController/ELECTRA.swift): a generator of width w reads
    the masked ids (85% [MASK], 15% unchanged) through the main table and a projection H → w;
    its head at the picked rows, Linear(w→H) → GELU → LN → ·Eᵀ + its own bias, cross-entropy;
    one token drawn per picked row from its softmax (no gradient); the main encoder — the
    discriminator — reads the sampled sequence, and its head Linear(H→H) → GELU → Linear(H→1)
    at every token says "replaced" (the sample differs from the original) with binary
    cross-entropy; loss = generator + 50·discriminator."""

    name = "electra"
    helper = "generator"
    weight = 50.0

    def __init__(self, s: Shape, dropout, attention, sampling=None):
        super().__init__()
        g = helper_shape(s)
        self.encoder = Encoder(s, dropout, attention)
        self.generator = Encoder(g, dropout, attention, table_width=s.H)
        self.generator_transform = nn.Linear(g.H, s.H)
        self.generator_norm = nn.LayerNorm(s.H, eps=LN_EPS)
        self.generator_bias = nn.Parameter(torch.zeros(s.V))
        self.transform = nn.Linear(s.H, s.H)
        self.output = nn.Linear(s.H, 1)
        self.sampling = sampling
        initialise(self)

    @staticmethod
    def make_batch(s: Shape, gen):
        return masked_batch(s, gen, 0.85, 0.0)

    def forward(self, batch, augment=None):
        E = self.encoder.embeddings.word.weight
        ids = batch["ids"]
        B, T = ids.shape
        g = self.generator(ids, table=E, batch=batch)                             # [B, T, w]
        h = g.reshape(-1, g.shape[-1]).index_select(0, batch["rows"])             # [n, w]
        logits = F.linear(self.generator_norm(F.gelu(self.generator_transform(h))), E, self.generator_bias)
        generator_loss = F.cross_entropy(logits, batch["labels"])                 # [n, V] against E
        with torch.no_grad():
            samples = self.draw(torch.softmax(logits, dim=-1), 1).squeeze(1)
        corrupted = ids.reshape(-1).index_copy(0, batch["rows"], samples)
        replaced = (corrupted != batch["original"]).float()                       # [B·T]
        hidden = self.encoder(corrupted.view(B, T), augment=augment, batch=batch)
        rows = hidden.reshape(B * T, -1)
        if batch.get("real_rows") is not None:                                    # padding (`--check` only)
            rows, replaced = rows.index_select(0, batch["real_rows"]), replaced[batch["real_rows"]]
        z = self.output(F.gelu(self.transform(rows))).reshape(-1)
        discriminator_loss = F.binary_cross_entropy_with_logits(z, replaced)
        self.parts = dict(generator=generator_loss, discriminator=discriminator_loss)
        return generator_loss + self.weight * discriminator_loss, hidden

    def draw(self, probabilities, count):
        """`count` tokens per row, with replacement, from the sampling stream."""
        return torch.multinomial(probabilities, count, replacement=True, generator=self.sampling)

    @staticmethod
    def predictions(s: Shape):
        return s.B * predicted_per_sequence(s)

    @staticmethod
    def objective_flops(s: Shape, n):
        w, tokens = helper_shape(s).H, s.B * s.T
        return {**helper_flops("generator", s),
                "generator_head": 6 * n * w * s.H, "generator_vocab": 6 * n * s.H * s.V,
                "discriminator_head": 6 * tokens * (s.H * s.H + s.H)}


class MCBERT(nn.Module):
    """Chapter 5's MC-BERT (Sources/MetaController/MCBERT.swift): a meta controller of width w
    reads the masked ids (all [MASK]) through the main table and a projection H → w; its head at
    the picked rows, Linear(w→w) → GELU → LN → ·(E W_p + c_p)ᵀ + b, the table through the same
    projection and b the main head's bias, cross-entropy. Without gradient, its head at every
    token and K = 10 draws per token from its softmax, with replacement; picked positions take
    draw 0. The main encoder reads that sequence; its head Linear(H→H) → GELU → LN scores K
    candidates per token, [NOTA] (a row and bias of its own), the original if replaced else
    draw 1, draws 2…9, as h·E[c] + b[c]; K-way cross-entropy (the label: 1 if replaced, else
    [NOTA]); loss = controller + 50·multiple choice."""

    name = "mc-bert"
    helper = "controller"
    candidates = 10
    weight = 50.0

    def __init__(self, s: Shape, dropout, attention, sampling=None):
        super().__init__()
        g = helper_shape(s)
        self.encoder = Encoder(s, dropout, attention)
        self.bias = nn.Parameter(torch.zeros(s.V))                   # mcbert.bias, shared by both heads
        self.controller = Encoder(g, dropout, attention, table_width=s.H)
        self.controller_transform = nn.Linear(g.H, g.H)
        self.controller_norm = nn.LayerNorm(g.H, eps=LN_EPS)
        self.transform = nn.Linear(s.H, s.H)
        self.norm = nn.LayerNorm(s.H, eps=LN_EPS)
        self.nota = nn.Parameter(torch.empty(s.H))
        self.nota_bias = nn.Parameter(torch.zeros(1))
        self.sampling = sampling
        initialise(self)
        nn.init.normal_(self.nota, std=INIT_STD)
        self.nota.decays = True  # Tenfold decays every parameter it initialises at random

    @staticmethod
    def make_batch(s: Shape, gen):
        return masked_batch(s, gen, 1.0, 0.0)

    def controller_head(self, c):
        return self.controller_norm(F.gelu(self.controller_transform(c)))

    def forward(self, batch, augment=None):
        E = self.encoder.embeddings.word.weight
        ids, K = batch["ids"], self.candidates
        B, T = ids.shape
        c = self.controller(ids, table=E, batch=batch)                             # [B, T, w]
        c = c.reshape(B * T, -1)
        table = self.controller.embeddings.projection(E)                           # [V, w]
        logits = F.linear(self.controller_head(c.index_select(0, batch["rows"])), table, self.bias)
        controller_loss = F.cross_entropy(logits, batch["labels"])
        real = batch.get("real_rows")                                              # padding (`--check` only)
        with torch.no_grad():                                                      # every token: [B·T, K]
            everywhere = F.linear(self.controller_head(c if real is None else c.index_select(0, real)),
                                  table, self.bias)
            samples = self.draw(torch.softmax(everywhere, dim=-1), K)
            del everywhere
            if real is not None:
                samples = torch.zeros(B * T, K, dtype=samples.dtype).index_copy(0, real, samples)
        original = batch["original"]
        corrupted = ids.reshape(-1).index_copy(0, batch["rows"], samples.index_select(0, batch["rows"])[:, 0])
        replaced = corrupted != original
        slot1 = torch.where(replaced, original, samples[:, 1])
        tokens = torch.cat([slot1.unsqueeze(1), samples[:, 2:]], dim=1)             # slots 1…K−1
        hidden = self.encoder(corrupted.view(B, T), augment=augment, batch=batch)
        h = self.norm(F.gelu(self.transform(hidden.reshape(B * T, -1))))           # [B·T, H]
        scores = torch.bmm(F.embedding(tokens, E), h.unsqueeze(2)).squeeze(2) + self.bias[tokens]
        nota = h @ self.nota.unsqueeze(1) + self.nota_bias                        # slot 0: [NOTA]
        choices, labels = torch.cat([nota, scores], dim=1), replaced.long()
        if real is not None:
            choices, labels = choices[real], labels[real]
        choice_loss = F.cross_entropy(choices, labels)
        self.parts = dict(controller=controller_loss, multiple_choice=choice_loss)
        return controller_loss + self.weight * choice_loss, hidden

    draw = ELECTRA.draw

    @staticmethod
    def predictions(s: Shape):
        return s.B * predicted_per_sequence(s)

    @classmethod
    def objective_flops(cls, s: Shape, n):
        w, tokens, V, H = helper_shape(s).H, s.B * s.T, s.V, s.H
        return {**helper_flops("controller", s),
                "controller_table": 6 * V * H * w, "controller_head": 6 * n * w * w,
                "controller_vocab": 6 * n * w * V, "controller_sampling": 2 * tokens * (w * w + w * V),
                "head_transform": 6 * tokens * H * H, "candidates": 6 * tokens * cls.candidates * H}


class SequenceClassification(nn.Module):
    """The fine-tuning step: [CLS] → Linear(H→H) → tanh → dropout → Linear(H→2)."""

    name = "classify"
    helper = None
    classes = 2

    def __init__(self, s: Shape, dropout, attention, sampling=None):
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

    def forward(self, batch, augment=None):
        assert augment is None, "notes are a pre-training device"
        hidden = self.encoder(batch["ids"])
        pooled = torch.tanh(self.dense(hidden[:, 0]))
        return F.cross_entropy(self.classifier(F.dropout(pooled, self.p, self.training)), batch["labels"]), hidden

    @staticmethod
    def predictions(s: Shape):
        return s.B

    @classmethod
    def objective_flops(cls, s: Shape, n):
        assert cls.classes == 2, "tenfold bench counts 6·B·(H² + 2H): two classes"
        return {"head_transform": 6 * s.B * (s.H * s.H + 2 * s.H)}


OBJECTIVES = {o.name: o for o in (MaskedLM, ELECTRA, MCBERT, SequenceClassification)}


# MARK: - TNF's notes

RARE_EVERY = 40   # `tenfold bench --notes`: ids 5, 45, 85, … (one in 40) are rare words of one token


class Notes:
    """TNF's notes (chapter 4, Sources/NoteTaking) on the benchmark's uniform random ids.

    Uniform ids have no words and no frequencies, so the benchmark declares them, as `tenfold
    bench --notes` does: every token is a word of its own (word spans of one token), and the
    ids 5, 45, 85, … — one id in 40 — are the rare words (205 at V = 8192: about 2.5% of the
    tokens, near the 2.2% of word occurrences that the embedded corpus's default 10–20 band
    covers), numbered in that order. TNF's defaults: half window k = 16, γ = 0.1, λ = 0.5.

    - `augment` (the input seam, before the embedding LayerNorm): at every occurrence of a rare
      word that was not picked for prediction (the leakage rule) and whose word has a note,
      x ← (1 − λ)·x + λ·Note(w). Recognised in the original ids (a masked rare word is still
      that word).
    - `observe` (after the optimizer step, from the main encoder's final hidden states, as
      constants): every occurrence, picked or not, takes the mean over its window
      [t − k, t + k] clipped to the sequence's real tokens (its rows gathered at once); a
      word's notes of the batch are averaged, then Note(w) ← (1 − γ)·Note(w) + γ·mean, or the
      mean itself for a word seen for the first time.
    Both find the occurrences again at every step, as Tenfold does. Words of one token only:
    a span of several tokens (a real corpus's) is not handled here.
    """

    def __init__(self, s: Shape, half_window=16, decay=0.1, weight=0.5):
        rare = torch.arange(FIRST_WORD, s.V, RARE_EVERY)
        self.word_of = torch.full((s.V,), -1, dtype=torch.long)
        self.word_of[rare] = torch.arange(len(rare))
        self.words = len(rare)
        self.notes = torch.zeros(self.words, s.H)
        self.seen = torch.zeros(self.words, dtype=torch.bool)
        self.k, self.gamma, self.lam = half_window, decay, weight
        self.seconds = 0.0                                 # time spent in augment and observe
        self.noted = self.mixed = 0                        # occurrences, last step

    def augment(self, x, batch):
        t0 = time.perf_counter()
        B, T, H = x.shape
        word = self.word_of[batch["original"]]                                   # [B·T], −1: not rare
        intact = (word >= 0) & batch["real"] & ~batch["picked"]
        intact &= self.seen[word.clamp_min(0)]
        rows = intact.nonzero().squeeze(1)
        self.mixed = rows.numel()
        if self.mixed:
            flat = x.reshape(B * T, H)
            mixed = (1 - self.lam) * flat.index_select(0, rows) + self.lam * self.notes[word[rows]]
            x = flat.index_copy(0, rows, mixed).view(B, T, H)
        self.seconds += time.perf_counter() - t0
        return x

    @torch.no_grad()
    def observe(self, hidden, batch):
        t0 = time.perf_counter()
        B, T, H = hidden.shape
        word = self.word_of[batch["original"]]
        at = ((word >= 0) & batch["real"]).nonzero().squeeze(1)                  # flat b·T + t
        self.noted = at.numel()
        if self.noted:
            b, t, w = at // T, at % T, word[at]
            window = t.unsqueeze(1) + torch.arange(-self.k, self.k + 1)          # [n, 2k + 1]
            inside = ((window >= 0) & (window < batch["lengths"][b].unsqueeze(1))).to(hidden.dtype)
            rows = hidden.reshape(B * T, H)[b.unsqueeze(1) * T + window.clamp(0, T - 1)]   # [n, 2k + 1, H]
            means = (rows * inside.unsqueeze(2)).sum(dim=1) / inside.sum(dim=1, keepdim=True)
            counts = torch.bincount(w, minlength=self.words)
            present = (counts > 0).nonzero().squeeze(1)
            mean = torch.zeros(self.words, H).index_add_(0, w, means)[present] / counts[present].unsqueeze(1)
            old = self.notes[present]
            self.notes[present] = torch.where(self.seen[present].unsqueeze(1),
                                              (1 - self.gamma) * old + self.gamma * mean, mean)
            self.seen[present] = True
        self.seconds += time.perf_counter() - t0


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
    """AdamW as Tenfold's: decay on what is initialised at random — the weights and tables
    (rank ≥ 2) and MC-BERT's [NOTA] row — not on biases or LayerNorm."""
    def decays(p):
        return p.dim() >= 2 or getattr(p, "decays", False)
    decay = [p for p in model.parameters() if decays(p)]
    no_decay = [p for p in model.parameters() if not decays(p)]
    groups = [dict(params=decay, weight_decay=0.01), dict(params=no_decay, weight_decay=0.0)]
    kind = dict(fused=True) if variant == "fused" else dict(foreach=True)
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.999), eps=1e-6, **kind)


class Step:
    """forward → loss; backward; clip to norm 1; AdamW; gradients dropped; with notes, the
    dictionary's update from the step's final hidden states. Times each part: the update of
    the notes with the optimizer, as Tenfold's input seam observes in its update phase."""

    def __init__(self, model, optimizer, batch, clip=1.0, notes=None):
        self.model, self.optimizer, self.batch, self.clip, self.notes = model, optimizer, batch, clip, notes
        self.parameters = [p for p in model.parameters()]

    def __call__(self, profiler=None):
        torch.cpu.synchronize()
        if self.notes is not None:
            self.notes.seconds = 0.0
        t0 = time.perf_counter()
        loss, hidden = self.model(self.batch, self.notes.augment if self.notes is not None else None)
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
        if self.notes is not None:
            self.notes.observe(hidden.detach(), self.batch)
        torch.cpu.synchronize()
        t3 = time.perf_counter()
        return dict(forward=t1 - t0, backward=t2 - t1, optimizer=t3 - t2, total=t3 - t0, loss=loss.item(),
                    notes=self.notes.seconds if self.notes is not None else 0.0)


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
    """The model (weights and dropout from `seed`), its fixed batch (seed + 1) and, for
    ELECTRA and MC-BERT, the stream their samples are drawn from (seed + 2)."""
    torch.manual_seed(seed)
    objective = OBJECTIVES[objective_name]
    model = objective(s, dropout, attention, sampling=torch.Generator().manual_seed(seed + 2))
    model.train()
    batch = objective.make_batch(s, torch.Generator().manual_seed(seed + 1))
    return objective, model, batch


def bench(args):
    s = PRESETS[args.preset]
    objective, model, batch = build(s, args.objective, args.dropout, args.attention)
    notes = Notes(s) if args.notes else None
    step = Step(model, make_optimizer(model, args.adamw), batch, clip=args.clip, notes=notes)

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
        notes=args.notes,
    )
    if notes is not None:
        # The notes' own time per step (mixing in the forward pass, the dictionary's update),
        # the rare words declared, and the occurrences of the last step: noted (all) and mixed
        # (intact, with a note).
        result.update(notes_s_median=median("notes"), rare_words=notes.words,
                      noted_occurrences=notes.noted, mixed_occurrences=notes.mixed)
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
        # A helper network's layers (ELECTRA's generator, MC-BERT's controller) count the same way.
        _, model, batch = build(TINY, name, 0.1, "explicit")
        with FlopCounterMode(display=False) as counter:
            model(batch)[0].backward()
        counted = counter.get_total_flops()
        total, _ = step_flops(TINY, objective)
        not_products = sum(6 * s.L * (3 * s.H + s.H + 4 * s.H + s.F + s.H) * s.B * s.T
                           for s in [TINY] + ([helper_shape(TINY)] if objective.helper else []))
        report(counted == total - not_products,
               f"{name}: the matrix products of one step, {counted} FLOPs counted by torch, "
               f"= the formula's {total} less {not_products} for biases and LayerNorm")

        # 2. The loss goes down over a few steps on a fixed batch (η 1e-3 here, for speed).
        _, model, batch = build(TINY, name, 0.1, args.attention)
        step = Step(model, make_optimizer(model, args.adamw, lr=1e-3), batch)
        losses = [step()["loss"] for _ in range(25)]
        report(min(losses[-5:]) < losses[0] - 0.1,
               f"{name}: loss {losses[0]:.3f} → {losses[-1]:.3f} over 25 steps on one batch")

    # 3. ELECTRA and MC-BERT compute the losses Tenfold's fixture holds it to.
    check_meta_controller_fixture(report)

    # Both attention paths compute the same function (no dropout).
    _, model, batch = build(TINY, "mlm", 0.0, "explicit")
    explicit = model(batch)[0].item()
    for layer in model.encoder.layers:
        layer.attention.attention = "sdpa"
    sdpa = model(batch)[0].item()
    report(abs(explicit - sdpa) < 1e-5, f"sdpa and explicit attention give the same loss ({sdpa:.6f}, {explicit:.6f})")

    # 4. TNF's notes: the vectorised mixing and update do what a plain loop over the
    # occurrences does, written from Docs/Methods/TNF.md; and a step with notes still learns.
    check_notes(report)
    runs = {}
    for notes in (None, Notes(TINY)):
        _, model, batch = build(TINY, "mlm", 0.1, args.attention)
        step = Step(model, make_optimizer(model, args.adamw, lr=1e-3), batch, notes=notes)
        runs[notes is not None] = [step()["loss"] for _ in range(25)]
    losses, plain = runs[True], runs[False]
    report(min(losses[-5:]) < losses[0] - 0.1 and notes.mixed > 0 and losses[0] == plain[0]
           and all(a != b for a, b in zip(losses[1:], plain[1:])),
           f"mlm with notes: loss {losses[0]:.3f} → {losses[-1]:.3f} over 25 steps, the same first loss as "
           f"without notes and another one at every later step ({notes.mixed} occurrences mixed in the last)")

    # 5. The presets are ModelConfiguration.presets.
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

    # 6. `tenfold bench` counts the same FLOPs and parameters and predicts the same rows; with
    # --notes it declares the same rare words and counts no more FLOPs.
    tenfold = args.tenfold or os.path.join(ROOT, ".build", "release", "tenfold")
    if os.path.exists(tenfold):
        def tenfold_bench(name, *extra):
            run = subprocess.run([tenfold, "bench", "--preset", "mini", "--objective", name, "--steps", "1",
                                  "--warmup", "0", "--json", *extra], capture_output=True, text=True)
            lines = [l for l in run.stdout.splitlines() if l.startswith("{")]
            if run.returncode != 0 or not lines:
                report(False, f"{name}: `tenfold bench --preset mini --json {' '.join(extra)}` failed: "
                              f"{run.stderr.strip()[-300:]}")
                return None
            return json.loads(lines[-1])

        for name, objective in OBJECTIVES.items():
            theirs = tenfold_bench(name)
            if theirs is None:
                continue
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
        theirs = tenfold_bench("mlm", "--notes")
        if theirs is not None:
            s = PRESETS["mini"]
            ours = Notes(s)
            total, _ = step_flops(s, MaskedLM)
            report(theirs.get("rare_words") == ours.words and math.isclose(total / 1e9, theirs["gflop_step_executed"],
                                                                             rel_tol=1e-9),
                   f"mlm --notes: mini's {ours.words} rare words (ids 5, 5 + {RARE_EVERY}, …) = tenfold's "
                   f"{theirs.get('rare_words')}, and the same {total / 1e9:.3f} GFLOP per step as without notes "
                   f"(tenfold's last step: {theirs.get('noted_occurrences')} occurrences noted, "
                   f"{theirs.get('mixed_occurrences')} mixed)")
    else:
        print(f"  skip the comparison with tenfold bench: no {tenfold} "
              "(swift build -c release --product tenfold, or pass --tenfold)")

    print(f"{len(failures)} failed" if failures else "all checks passed")
    sys.exit(1 if failures else 0)


def check_notes(report):
    """`Notes` against a loop over the occurrences, on a tiny batch with rare words planted
    where the rules matter: at both ends of a sequence (the window clips), twice in a
    sequence (the batch's notes averaged), at a picked position (noted, never mixed), in the
    padding of a shorter sequence (ignored), in words not seen before (no note mixed, the
    first note stored as it is)."""
    s, k, lam, gamma = TINY, 3, 0.5, 0.1
    gen = torch.Generator().manual_seed(7)
    batch = masked_batch(s, gen, 0.8, 0.1)
    notes = Notes(s, half_window=k, decay=gamma, weight=lam)
    rare = (torch.arange(notes.words) * RARE_EVERY + FIRST_WORD).tolist()
    original = batch["original"].view(s.B, s.T).clone()
    original[original % RARE_EVERY == FIRST_WORD] = FIRST_WORD + 1     # only the planted ones are rare
    plant = {(0, 0): rare[0], (0, s.T - 1): rare[1], (1, 4): rare[2], (1, 9): rare[2], (2, 12): rare[3],
             (3, 17): rare[4], (3, 25): rare[5], (4, 3): rare[6], (5, 30): rare[7]}
    for (b, t), token in plant.items():
        original[b, t] = token
    first_picked = int(batch["rows"][s.B // 2 * predicted_per_sequence(s)])   # a picked position of sequence 4
    original.view(-1)[first_picked] = rare[8]
    batch["original"] = original.reshape(-1)
    batch["lengths"][3] = 20                                                  # (3, 25) lies in the padding
    batch["real"] = (torch.arange(s.T) < batch["lengths"].unsqueeze(1)).reshape(-1)
    seen_before = torch.tensor([i % 2 == 0 for i in range(notes.words)])
    notes.seen = seen_before.clone()
    notes.notes = torch.randn(notes.words, s.H, generator=gen) * seen_before.unsqueeze(1)
    before = notes.notes.clone()
    x = torch.randn(s.B, s.T, s.H, generator=gen)
    hidden = torch.randn(s.B, s.T, s.H, generator=gen)

    mixed = notes.augment(x, batch)
    notes.observe(hidden, batch)

    expected_x, taken = x.clone(), {}
    for b in range(s.B):
        for t in range(int(batch["lengths"][b])):
            token = int(original[b, t])
            if token not in rare:
                continue
            w = rare.index(token)
            if not batch["picked"][b * s.T + t] and seen_before[w]:
                expected_x[b, t] = (1 - lam) * x[b, t] + lam * before[w]
            low, high = max(0, t - k), min(int(batch["lengths"][b]), t + k + 1)
            taken.setdefault(w, []).append(hidden[b, low:high].mean(0))
    expected_notes = before.clone()
    for w, means in taken.items():
        mean = torch.stack(means).mean(0)
        expected_notes[w] = (1 - gamma) * before[w] + gamma * mean if seen_before[w] else mean
    occurrences = sum(len(m) for m in taken.values())
    report(torch.allclose(mixed, expected_x, atol=1e-6) and torch.allclose(notes.notes, expected_notes, atol=1e-6)
           and notes.noted == occurrences and bool(notes.seen[list(taken)].all()),
           f"notes: the mixed input and the dictionary after the update = a loop over the {occurrences} "
           f"occurrences ({notes.mixed} mixed)")


def check_meta_controller_fixture(report):
    """ELECTRA and MC-BERT compute Tenfold's losses: the reference's networks, given the weights
    and the samples of the fixture that MetaControllerTests holds Tenfold to
    (Tests/MetaControllerTests/Fixtures/electra_mcbert_reference.safetensors, written by
    scripts/make_electra_mcbert_fixture.py; one padded sequence), give its losses and the
    gradient of the shared word table. Without safetensors the check is skipped."""
    path = os.path.join(ROOT, "Tests", "MetaControllerTests", "Fixtures", "electra_mcbert_reference.safetensors")
    try:
        from safetensors import safe_open
    except ImportError:
        print("  skip the ELECTRA/MC-BERT fixture: no safetensors in this Python (make torch-venv)")
        return
    if not os.path.exists(path):
        print(f"  skip the ELECTRA/MC-BERT fixture: no {path}")
        return
    with safe_open(path, "pt") as f:
        meta, fixture = f.metadata(), {k: f.get_tensor(k) for k in f.keys()}
    s = Shape(**{k: int(meta[k]) for k in ("L", "H", "A", "F", "V", "T", "B")})
    lengths = fixture["input.lengths"].long()
    key_mask = torch.arange(s.T) < lengths.unsqueeze(1)
    rows, labels = fixture["targets.positions"].long(), fixture["targets.labels"].long()

    def linear(module, name, p):                       # Tenfold's x·W + b → PyTorch's weight Wᵀ
        module.weight.copy_(p[name + ".weight"].T)
        module.bias.copy_(p[name + ".bias"])

    def norm(module, name, p):
        module.weight.copy_(p[name + ".gamma"])
        module.bias.copy_(p[name + ".beta"])

    def encoder(module, prefix, p):
        e = module.embeddings
        if e.word is not None:
            e.word.weight.copy_(p["embeddings.word"])
        if e.projection is not None:
            linear(e.projection, prefix + "embeddings.projection", p)
        e.position.weight.copy_(p[prefix + "embeddings.position"])
        norm(e.norm, prefix + "embeddings.norm", p)
        for l, layer in enumerate(module.layers):
            pre = f"{prefix}encoder.layer.{l}."
            layer.attention.qkv.weight.copy_(torch.cat([p[pre + f"attention.{n}.weight"].T for n in ("query", "key", "value")]))
            layer.attention.qkv.bias.copy_(torch.cat([p[pre + f"attention.{n}.bias"] for n in ("query", "key", "value")]))
            linear(layer.attention.output, pre + "attention.output", p)
            norm(layer.attention_norm, pre + "attention_norm", p)
            linear(layer.intermediate, pre + "ffn.intermediate", p)
            linear(layer.output, pre + "ffn.output", p)
            norm(layer.output_norm, pre + "output_norm", p)

    for name, tag, helper in (("electra", "electra", "generator"), ("mc-bert", "mc-bert", "controller")):
        p = {k[len(tag) + 7:]: v for k, v in fixture.items() if k.startswith(tag + ":param:")}
        model = OBJECTIVES[name](s, 0.0, "explicit")
        with torch.no_grad():
            encoder(model.encoder, "", p)
            encoder(getattr(model, helper), helper + ".", p)
            if name == "electra":
                linear(model.generator_transform, "generator.mlm.transform", p)
                norm(model.generator_norm, "generator.mlm.norm", p)
                model.generator_bias.copy_(p["generator.mlm.bias"])
                linear(model.transform, "electra.transform", p)
                linear(model.output, "electra.output", p)
            else:
                linear(model.controller_transform, "controller.mlm.transform", p)
                norm(model.controller_norm, "controller.mlm.norm", p)
                model.bias.copy_(p["mcbert.bias"])
                linear(model.transform, "mcbert.transform", p)
                norm(model.norm, "mcbert.norm", p)
                model.nota.copy_(p["mcbert.nota"])
                model.nota_bias.copy_(p["mcbert.nota_bias"])
        model.eval()
        samples = fixture[tag + ":samples"].long()
        model.draw = lambda probabilities, count, samples=samples: samples.view(probabilities.shape[0], count)
        ids = fixture[tag + ":input.ids"].long()
        original = ids.clone()
        original[rows] = labels
        batch = dict(ids=ids.view(s.B, s.T), rows=rows, labels=labels, original=original, key_mask=key_mask,
                     real_rows=key_mask.reshape(-1).nonzero().squeeze(1))
        loss, _ = model(batch)
        loss.backward()
        parts = {k: (v.item(), fixture[f"{tag}:{k}"].item()) for k, v in model.parts.items()}
        close = all(math.isclose(a, b, rel_tol=1e-5) for a, b in parts.values()) \
            and math.isclose(loss.item(), fixture[tag + ":loss"].item(), rel_tol=1e-5)
        expected = fixture[tag + ":grad:embeddings.word"]
        error = ((model.encoder.embeddings.word.weight.grad - expected).abs().max() / expected.abs().max()).item()
        report(close and error < 1e-4,
               f"{name}: Tenfold's fixture loss {fixture[tag + ':loss'].item():.5f} = {loss.item():.5f} here "
               f"({', '.join(f'{k} {a:.5f}' for k, (a, _) in parts.items())}); the word table's gradient "
               f"within {error:.1e} of the fixture's")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="See the module docstring for the model, the step and the FLOP formula.")
    ap.add_argument("--preset", "--config", dest="preset", default="mini", choices=PRESETS,
                    help="the shapes of `tenfold bench --preset` (default mini)")
    ap.add_argument("--objective", default="mlm", choices=OBJECTIVES)
    ap.add_argument("--notes", action="store_true",
                    help="TNF's notes on the input (chapter 4; pre-training objectives), as `tenfold bench --notes`")
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
    if args.notes and args.objective == "classify":
        ap.error("--notes is a pre-training device: use it with mlm, electra or mc-bert")
    torch.set_num_threads(args.threads)
    if args.check:
        check(args)
    else:
        bench(args)


if __name__ == "__main__":
    main()

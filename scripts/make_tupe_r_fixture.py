#!/usr/bin/env python3
"""Writes the TUPE-R reference fixture: a tiny TUPE-R masked-LM with [CLS] untying in plain
PyTorch, the same math as Tenfold's UntiedPositions (Docs/Methods/TUPE.md).

The fixture (Tests/UntiedAttentionTests/Fixtures/tupe_r_reference.safetensors) holds the
weights under Tenfold's parameter names, the inputs, the logits at the predicted positions,
the loss, and the gradient of the loss with respect to every parameter. UntiedAttentionTests
loads the same weights into Tenfold's model and compares.

Written from the specification, independently of the Swift code:
- input LN(w) only; every layer's logits (x W^Q)(x W^K)^T / sqrt(2D) + P;
- P = (LN(p) U^Q + c^Q)(LN(p) U^K + c^K)^T / sqrt(2D) per head, computed once;
- [CLS] reset: column 0 (i != 0) := theta2, then row 0 := theta1, per head;
- then + the relative bias b[h, bucket(i - j)] with T5's 32 buckets (max distance 128) and
  two extra buckets: 32 for the [CLS] row, 33 for the [CLS] column.

Run (needs PyTorch for CPU, safetensors and numpy):
    /tmp/torchref/bin/python scripts/make_tupe_r_fixture.py
"""
import math
import pathlib

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

torch.manual_seed(20261130)
V, H, L, A, FF, T, B = 50, 16, 2, 2, 32, 20, 2   # T = 20 reaches the logarithmic buckets (m >= 8)
D = H // A
EPS = 1e-12
BUCKETS, MAX_DISTANCE = 32, 128
lengths = [20, 13]
positions = [0, 3, 9, 17, 20 + 0, 20 + 4, 20 + 12]   # flat b*T + t, [CLS] included

def normal(*shape):
    return (torch.randn(*shape) * 0.5).requires_grad_()

def small(*shape):
    return (torch.randn(*shape) * 0.1).requires_grad_()

def ones(*shape):
    return (1 + torch.randn(*shape) * 0.1).requires_grad_()

params = {}
def p(name, tensor):
    params[name] = tensor
    return tensor

# Creation order matches Tenfold's ParameterStore order (not required, but easy to read).
p("embeddings.word", normal(V, H))
p("embeddings.position", normal(T, H))
p("positions.norm.gamma", ones(H)); p("positions.norm.beta", small(H))
p("positions.query.weight", normal(H, H)); p("positions.query.bias", small(H))
p("positions.key.weight", normal(H, H)); p("positions.key.bias", small(H))
p("positions.cls_to_others", normal(A)); p("positions.others_to_cls", normal(A))
p("positions.relative_bias", normal(A, BUCKETS + 2))
p("embeddings.norm.gamma", ones(H)); p("embeddings.norm.beta", small(H))
for l in range(L):
    pre = f"encoder.layer.{l}"
    for proj in ["query", "key", "value", "output"]:
        p(f"{pre}.attention.{proj}.weight", normal(H, H)); p(f"{pre}.attention.{proj}.bias", small(H))
    p(f"{pre}.attention_norm.gamma", ones(H)); p(f"{pre}.attention_norm.beta", small(H))
    p(f"{pre}.ffn.intermediate.weight", normal(H, FF)); p(f"{pre}.ffn.intermediate.bias", small(FF))
    p(f"{pre}.ffn.output.weight", normal(FF, H)); p(f"{pre}.ffn.output.bias", small(H))
    p(f"{pre}.output_norm.gamma", ones(H)); p(f"{pre}.output_norm.beta", small(H))
p("mlm.transform.weight", normal(H, H)); p("mlm.transform.bias", small(H))
p("mlm.norm.gamma", ones(H)); p("mlm.norm.beta", small(H))
p("mlm.bias", small(V))

ids = torch.randint(5, V, (B, T))
ids[:, 0] = 1                            # [CLS]
for b, n in enumerate(lengths):
    ids[b, n:] = 0                       # [PAD]
labels = torch.randint(5, V, (len(positions),))

def bucket(n):
    """T5's bidirectional bucket of n = i - j (Docs/Methods/TUPE.md)."""
    half = BUCKETS // 2
    exact = half // 2
    offset = half if n < 0 else 0
    m = abs(n)
    if m < exact:
        return offset + m
    value = exact + math.floor(math.log(m / exact) / math.log(MAX_DISTANCE / exact) * exact + 1e-9)
    return offset + min(value, half - 1)

buckets = torch.tensor([[BUCKETS if i == 0 else (BUCKETS + 1 if j == 0 else bucket(i - j))
                         for j in range(T)] for i in range(T)])        # [T, T]

def layer_norm(x, name):
    return F.layer_norm(x, (H,), params[name + ".gamma"], params[name + ".beta"], EPS)

def linear(x, name):
    return x @ params[name + ".weight"] + params[name + ".bias"]

# The positional term, once per forward pass.
p_hat = layer_norm(params["embeddings.position"][:T], "positions.norm")                # [T, H]
uq = linear(p_hat, "positions.query").view(T, A, D).transpose(0, 1)                     # [A, T, D]
uk = linear(p_hat, "positions.key").view(T, A, D).transpose(0, 1)
absolute = uq @ uk.transpose(-1, -2) / math.sqrt(2 * D)                                 # [A, T, T]
column = torch.zeros(T, T, dtype=torch.bool); column[1:, 0] = True
row = torch.zeros(T, T, dtype=torch.bool); row[0, :] = True
absolute = torch.where(column, params["positions.others_to_cls"][:, None, None], absolute)
absolute = torch.where(row, params["positions.cls_to_others"][:, None, None], absolute)
relative = params["positions.relative_bias"][:, buckets]                                 # [A, T, T]
positional = absolute + relative

x = layer_norm(params["embeddings.word"][ids], "embeddings.norm")                        # [B, T, H]
key_mask = torch.arange(T)[None, :] < torch.tensor(lengths)[:, None]                     # [B, T]
for l in range(L):
    pre = f"encoder.layer.{l}"
    def heads(t):
        return t.view(B, T, A, D).transpose(1, 2)                                       # [B, A, T, D]
    q = heads(linear(x, f"{pre}.attention.query"))
    k = heads(linear(x, f"{pre}.attention.key"))
    v = heads(linear(x, f"{pre}.attention.value"))
    scores = q @ k.transpose(-1, -2) / math.sqrt(2 * D) + positional                     # [B, A, T, T]
    scores = scores.masked_fill(~key_mask[:, None, None, :], float("-inf"))
    probs = scores.softmax(-1)
    context = (probs @ v).transpose(1, 2).reshape(B, T, H)
    x = layer_norm(x + linear(context, f"{pre}.attention.output"), f"{pre}.attention_norm")
    ffn = linear(F.gelu(linear(x, f"{pre}.ffn.intermediate")), f"{pre}.ffn.output")
    x = layer_norm(x + ffn, f"{pre}.output_norm")

rows = x.reshape(B * T, H)[torch.tensor(positions)]                                      # [N, H]
h = layer_norm(F.gelu(linear(rows, "mlm.transform")), "mlm.norm")
logits = h @ params["embeddings.word"].T + params["mlm.bias"]                            # [N, V]
loss = F.cross_entropy(logits, labels)
loss.backward()

out = {name: t.detach().clone() for name, t in params.items()}
out.update({f"grad.{name}": t.grad.detach().clone() for name, t in params.items()})
out["input.ids"] = ids.float()
out["input.lengths"] = torch.tensor(lengths, dtype=torch.float32)
out["targets.positions"] = torch.tensor(positions, dtype=torch.float32)
out["targets.labels"] = labels.float()
out["output.logits"] = logits.detach()
out["output.loss"] = loss.detach().reshape(1)
target = pathlib.Path(__file__).resolve().parent.parent / "Tests/UntiedAttentionTests/Fixtures/tupe_r_reference.safetensors"
target.parent.mkdir(parents=True, exist_ok=True)
save_file({k: v.contiguous() for k, v in out.items()}, str(target),
          metadata={"V": str(V), "H": str(H), "L": str(L), "A": str(A), "F": str(FF), "T": str(T),
                    "B": str(B), "epsilon": str(EPS), "torch": torch.__version__})
print(f"wrote {target} (loss {loss.item():.6f})")

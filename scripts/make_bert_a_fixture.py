#!/usr/bin/env python3
"""Writes the BERT-A reference fixture: a tiny masked-LM in plain PyTorch, same math as Tenfold.

The fixture (Tests/TransformerTests/Fixtures/bert_a_reference.safetensors) holds the weights
under Tenfold's parameter names, the inputs, the logits at the predicted positions, the
loss, and the gradient of the loss with respect to every parameter. TransformerTests loads
the same weights into Tenfold's model and compares (Docs/Methods/BERT.md is the specification).

Run (needs PyTorch for CPU and safetensors; `make torch-venv` installs them):
    python3 -m venv /tmp/torchref
    /tmp/torchref/bin/pip install 'torch==2.13.0+cpu' safetensors numpy
    /tmp/torchref/bin/python scripts/make_bert_a_fixture.py
"""
import math
import pathlib

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

torch.manual_seed(20261129)
V, H, L, A, FF, T, B = 50, 16, 2, 2, 32, 8, 2
D = H // A
EPS = 1e-12
lengths = [8, 5]                        # the second sequence is padded
positions = [1, 3, 6, 8 + 0, 8 + 2, 8 + 4]   # flat b*T + t, all inside the real tokens
std = 0.02

def normal(*shape):
    # A larger spread than 0.02 so every path carries gradients well above Float32 noise.
    return (torch.randn(*shape) * 0.5).requires_grad_()

def zeros(*shape):
    return (torch.randn(*shape) * 0.1).requires_grad_()   # non-zero biases exercise their paths

def ones(*shape):
    return (1 + torch.randn(*shape) * 0.1).requires_grad_()

params = {}
def p(name, tensor):
    params[name] = tensor
    return tensor

p("embeddings.word", normal(V, H))
p("embeddings.position", normal(T, H))
p("embeddings.norm.gamma", ones(H)); p("embeddings.norm.beta", zeros(H))
for l in range(L):
    pre = f"encoder.layer.{l}"
    for proj in ["query", "key", "value", "output"]:
        p(f"{pre}.attention.{proj}.weight", normal(H, H)); p(f"{pre}.attention.{proj}.bias", zeros(H))
    p(f"{pre}.attention_norm.gamma", ones(H)); p(f"{pre}.attention_norm.beta", zeros(H))
    p(f"{pre}.ffn.intermediate.weight", normal(H, FF)); p(f"{pre}.ffn.intermediate.bias", zeros(FF))
    p(f"{pre}.ffn.output.weight", normal(FF, H)); p(f"{pre}.ffn.output.bias", zeros(H))
    p(f"{pre}.output_norm.gamma", ones(H)); p(f"{pre}.output_norm.beta", zeros(H))
p("mlm.transform.weight", normal(H, H)); p("mlm.transform.bias", zeros(H))
p("mlm.norm.gamma", ones(H)); p("mlm.norm.beta", zeros(H))
p("mlm.bias", zeros(V))

ids = torch.randint(5, V, (B, T))
for b, n in enumerate(lengths):
    ids[b, n:] = 0                       # [PAD]
labels = torch.randint(5, V, (len(positions),))

def layer_norm(x, name):
    return F.layer_norm(x, (H,), params[name + ".gamma"], params[name + ".beta"], EPS)

def linear(x, name):
    return x @ params[name + ".weight"] + params[name + ".bias"]

x = params["embeddings.word"][ids] + params["embeddings.position"][:T]      # [B, T, H]
x = layer_norm(x, "embeddings.norm")
key_mask = torch.arange(T)[None, :] < torch.tensor(lengths)[:, None]         # [B, T]
for l in range(L):
    pre = f"encoder.layer.{l}"
    def heads(t):
        return t.view(B, T, A, D).transpose(1, 2)                           # [B, A, T, D]
    q = heads(linear(x, f"{pre}.attention.query"))
    k = heads(linear(x, f"{pre}.attention.key"))
    v = heads(linear(x, f"{pre}.attention.value"))
    scores = q @ k.transpose(-1, -2) / math.sqrt(D)                          # [B, A, T, T]
    scores = scores.masked_fill(~key_mask[:, None, None, :], float("-inf"))
    probs = scores.softmax(-1)
    context = (probs @ v).transpose(1, 2).reshape(B, T, H)
    x = layer_norm(x + linear(context, f"{pre}.attention.output"), f"{pre}.attention_norm")
    ffn = linear(F.gelu(linear(x, f"{pre}.ffn.intermediate")), f"{pre}.ffn.output")
    x = layer_norm(x + ffn, f"{pre}.output_norm")

rows = x.reshape(B * T, H)[torch.tensor(positions)]                          # [N, H]
h = layer_norm(F.gelu(linear(rows, "mlm.transform")), "mlm.norm")
logits = h @ params["embeddings.word"].T + params["mlm.bias"]                # [N, V]
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
target = pathlib.Path(__file__).resolve().parent.parent / "Tests/TransformerTests/Fixtures/bert_a_reference.safetensors"
save_file({k: v.contiguous() for k, v in out.items()}, str(target),
          metadata={"V": str(V), "H": str(H), "L": str(L), "A": str(A), "F": str(FF), "T": str(T),
                    "B": str(B), "epsilon": str(EPS), "torch": torch.__version__})
print(f"wrote {target} (loss {loss.item():.6f})")

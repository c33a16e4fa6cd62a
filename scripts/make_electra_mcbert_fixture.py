#!/usr/bin/env python3
"""Writes the ELECTRA and MC-BERT reference fixture: one loss of each in plain PyTorch, same math as Tenfold.

The fixture (Tests/MetaControllerTests/Fixtures/electra_mcbert_reference.safetensors) holds, for each
objective under the prefixes `electra:` and `mc-bert:`, the weights under Tenfold's parameter names
(`param:<name>`), the masked input, the picked positions with their original tokens, the helper
network's samples — given, so that no randomness differs between the two implementations — the loss
and its two parts, and the gradient of the loss with respect to every parameter (`grad:<name>`). Both
objectives share the same main encoder weights. MetaControllerTests loads them into Tenfold's model,
injects the samples, and compares (Docs/Methods/ELECTRA-MC-BERT.md is the specification; the models
are those of Sources/MetaController).

Sizes: V=50, H=48, A=8 (D=6), F=64, L=2, T=8, B=2 (lengths 8 and 5); the helper networks are
Tenfold's rule for H < 192: w = floor(H/3 / D)·D = 12, 2 heads of 6, feed-forward 48.

Run (needs PyTorch for CPU and safetensors; `make torch-venv` installs them):
    /tmp/torchref/bin/python scripts/make_electra_mcbert_fixture.py
"""
import math
import pathlib

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

torch.manual_seed(20261205)
V, H, L, A, FF, T, B = 50, 48, 2, 8, 64, 8, 2
D = H // A
W, AW, FW = 12, 2, 48                   # the helper's width, heads, feed-forward size
K = 10                                  # MC-BERT's candidates
LAMBDA = 50.0
EPS = 1e-12
MASK, NOTA = 4, V
lengths = [8, 5]
picked = [1, 3, 6, 9, 11]               # flat b*T + t, inside the real tokens
real = [b * T + t for b in range(B) for t in range(lengths[b])]


def normal(*shape):
    # A larger spread than 0.02 so every path carries gradients well above Float32 noise.
    return torch.randn(*shape) * 0.5


def small(*shape):
    return torch.randn(*shape) * 0.1    # non-zero biases exercise their paths


def gains(*shape):
    return 1 + torch.randn(*shape) * 0.1


def encoder_weights(prefix, width, inner, projected):
    w = {}
    if not projected:
        w[prefix + "embeddings.word"] = normal(V, width)
    w[prefix + "embeddings.position"] = normal(T, width)
    w[prefix + "embeddings.norm.gamma"] = gains(width)
    w[prefix + "embeddings.norm.beta"] = small(width)
    if projected:
        w[prefix + "embeddings.projection.weight"] = normal(H, width) / math.sqrt(H / width)
        w[prefix + "embeddings.projection.bias"] = small(width)
    for l in range(L):
        pre = f"{prefix}encoder.layer.{l}"
        for proj in ["query", "key", "value", "output"]:
            w[f"{pre}.attention.{proj}.weight"] = normal(width, width)
            w[f"{pre}.attention.{proj}.bias"] = small(width)
        w[f"{pre}.attention_norm.gamma"] = gains(width); w[f"{pre}.attention_norm.beta"] = small(width)
        w[f"{pre}.ffn.intermediate.weight"] = normal(width, inner); w[f"{pre}.ffn.intermediate.bias"] = small(inner)
        w[f"{pre}.ffn.output.weight"] = normal(inner, width); w[f"{pre}.ffn.output.bias"] = small(width)
        w[f"{pre}.output_norm.gamma"] = gains(width); w[f"{pre}.output_norm.beta"] = small(width)
    return w


main = encoder_weights("", H, FF, projected=False)
generator = encoder_weights("generator.", W, FW, projected=True)
generator.update({
    "generator.mlm.transform.weight": normal(W, H), "generator.mlm.transform.bias": small(H),
    "generator.mlm.norm.gamma": gains(H), "generator.mlm.norm.beta": small(H),
    "generator.mlm.bias": small(V),
    "electra.transform.weight": normal(H, H), "electra.transform.bias": small(H),
    "electra.output.weight": normal(H, 1), "electra.output.bias": small(1),
})
controller = encoder_weights("controller.", W, FW, projected=True)
controller.update({
    "controller.mlm.transform.weight": normal(W, W), "controller.mlm.transform.bias": small(W),
    "controller.mlm.norm.gamma": gains(W), "controller.mlm.norm.beta": small(W),
    "mcbert.bias": small(V),
    "mcbert.transform.weight": normal(H, H), "mcbert.transform.bias": small(H),
    "mcbert.norm.gamma": gains(H), "mcbert.norm.beta": small(H),
    "mcbert.nota": normal(H), "mcbert.nota_bias": small(1),
})

original = torch.randint(5, V, (B, T))
for b, n in enumerate(lengths):
    original[b, n:] = 0                 # [PAD]
flat_original = original.reshape(-1)
labels = flat_original[torch.tensor(picked)]
key_mask = torch.arange(T)[None, :] < torch.tensor(lengths)[:, None]             # [B, T]


def layer_norm(p, x, name, width):
    return F.layer_norm(x, (width,), p[name + ".gamma"], p[name + ".beta"], EPS)


def linear(p, x, name):
    return x @ p[name + ".weight"] + p[name + ".bias"]


def encode(p, prefix, ids, width, heads):
    """Tenfold's Encoder with BERT-A positions: E[ids] (projected when shared), + P, LN, L post-LN layers."""
    x = p["embeddings.word"][ids]                                                # [B, T, H]
    if prefix:
        x = linear(p, x, prefix + "embeddings.projection")                       # [B, T, w]
    x = layer_norm(p, x + p[prefix + "embeddings.position"][:T], prefix + "embeddings.norm", width)
    size = width // heads
    for l in range(L):
        pre = f"{prefix}encoder.layer.{l}"

        def split(t):
            return t.view(B, T, heads, size).transpose(1, 2)                     # [B, A, T, D]
        q, k, v = (split(linear(p, x, f"{pre}.attention.{n}")) for n in ["query", "key", "value"])
        scores = (q @ k.transpose(-1, -2) / math.sqrt(size)).masked_fill(~key_mask[:, None, None, :], float("-inf"))
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, width)
        x = layer_norm(p, x + linear(p, context, f"{pre}.attention.output"), f"{pre}.attention_norm", width)
        ffn = linear(p, F.gelu(linear(p, x, f"{pre}.ffn.intermediate")), f"{pre}.ffn.output")
        x = layer_norm(p, x + ffn, f"{pre}.output_norm", width)
    return x


def leaves(*groups):
    p = {}
    for g in groups:
        for name, t in g.items():
            p[name] = t.clone().requires_grad_()
    return p


def dump(out, tag, p, loss, parts):
    loss.backward()
    for name, t in p.items():
        out[f"{tag}:param:{name}"] = t.detach().clone()
        out[f"{tag}:grad:{name}"] = t.grad.detach().clone()
    out[f"{tag}:loss"] = loss.detach().reshape(1)
    for name, value in parts.items():
        out[f"{tag}:{name}"] = value.detach().reshape(1)


out = {
    "input.lengths": torch.tensor(lengths, dtype=torch.float32),
    "targets.positions": torch.tensor(picked, dtype=torch.float32),
    "targets.labels": labels.float(),
}

# ELECTRA: 85/15 corruption (position 6 left unchanged), one sample per picked position; the sample
# at position 3 equals its original, so it counts as original.
p = leaves(main, generator)
ids = flat_original.clone()
for i in picked:
    if i != 6:
        ids[i] = MASK
ids = ids.view(B, T)
hidden = encode(p, "generator.", ids, W, AW).reshape(B * T, W)[torch.tensor(picked)]
h = layer_norm(p, F.gelu(linear(p, hidden, "generator.mlm.transform")), "generator.mlm.norm", H)
generator_loss = F.cross_entropy(h @ p["embeddings.word"].T + p["generator.mlm.bias"], labels)
samples = torch.randint(5, V, (len(picked),))
samples[1] = labels[1]                                                            # position 3: the original
for i in [0, 2, 3, 4]:
    while samples[i] == labels[i]:
        samples[i] = torch.randint(5, V, (1,))
corrupted = ids.reshape(-1).clone()
corrupted[torch.tensor(picked)] = samples
replaced = (corrupted != flat_original).float()[torch.tensor(real)]
rows = encode(p, "", corrupted.view(B, T), H, A).reshape(B * T, H)[torch.tensor(real)]
logits = linear(p, F.gelu(linear(p, rows, "electra.transform")), "electra.output").reshape(-1)
discriminator_loss = F.binary_cross_entropy_with_logits(logits, replaced)
loss = generator_loss + LAMBDA * discriminator_loss
out["electra:input.ids"] = ids.reshape(-1).float()
out["electra:samples"] = samples.float()
dump(out, "electra", p, loss, {"generator": generator_loss, "discriminator": discriminator_loss})
electra_loss = loss.item()

# MC-BERT: every picked position [MASK]; K samples at every real position; at position 6 sample 0
# is the original (kept), elsewhere it differs (replaced).
p = leaves(main, controller)
ids = flat_original.clone()
ids[torch.tensor(picked)] = MASK
ids = ids.view(B, T)
hidden = encode(p, "controller.", ids, W, AW).reshape(B * T, W)[torch.tensor(picked)]
h = layer_norm(p, F.gelu(linear(p, hidden, "controller.mlm.transform")), "controller.mlm.norm", W)
projected_table = linear(p, p["embeddings.word"], "controller.embeddings.projection")   # [V, w]
controller_loss = F.cross_entropy(h @ projected_table.T + p["mcbert.bias"], labels)
samples = torch.randint(0, V, (len(real), K))
samples[real.index(picked[3]), 3] = samples[real.index(picked[3]), 5]                # a duplicate
for i, position in enumerate(picked):
    m = real.index(position)
    if position == 6:
        samples[m, 0] = labels[i]
    else:
        while samples[m, 0] == labels[i]:
            samples[m, 0] = torch.randint(0, V, (1,))
corrupted = ids.reshape(-1).clone()
for position in picked:
    corrupted[position] = samples[real.index(position), 0]
candidates, targets = [], []
for m, position in enumerate(real):
    was_replaced = bool(corrupted[position] != flat_original[position])
    slot1 = flat_original[position] if was_replaced else samples[m, 1]
    candidates.append([NOTA, int(slot1)] + [int(s) for s in samples[m, 2:]])
    targets.append(1 if was_replaced else 0)
candidates, targets = torch.tensor(candidates), torch.tensor(targets)
rows = encode(p, "", corrupted.view(B, T), H, A).reshape(B * T, H)[torch.tensor(real)]
h = layer_norm(p, F.gelu(linear(p, rows, "mcbert.transform")), "mcbert.norm", H)
table = torch.cat([p["embeddings.word"], p["mcbert.nota"][None, :]])                 # [V + 1, H]
bias = torch.cat([p["mcbert.bias"], p["mcbert.nota_bias"]])                           # [V + 1]
scores = (h[:, None, :] * table[candidates]).sum(-1) + bias[candidates]                 # [M, K]
choice_loss = F.cross_entropy(scores, targets)
loss = controller_loss + LAMBDA * choice_loss
out["mc-bert:input.ids"] = ids.reshape(-1).float()
out["mc-bert:samples"] = samples.reshape(-1).float()
out["mc-bert:candidates"] = candidates.reshape(-1).float()
out["mc-bert:labels"] = targets.float()
dump(out, "mc-bert", p, loss, {"controller": controller_loss, "multiple_choice": choice_loss})

target = pathlib.Path(__file__).resolve().parent.parent / "Tests/MetaControllerTests/Fixtures/electra_mcbert_reference.safetensors"
save_file({k: v.contiguous() for k, v in out.items()}, str(target),
          metadata={"V": str(V), "H": str(H), "L": str(L), "A": str(A), "F": str(FF), "T": str(T), "B": str(B),
                    "K": str(K), "lambda": str(LAMBDA), "epsilon": str(EPS), "torch": torch.__version__})
print(f"wrote {target} (ELECTRA loss {electra_loss:.6f}, MC-BERT loss {loss.item():.6f})")

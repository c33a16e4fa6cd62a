#!/usr/bin/env python3
"""Writes the TNF reference fixture: one training step of a tiny BERT-A with notes taken on the
fly, in plain PyTorch, written from Docs/Methods/TNF.md independently of the Swift code.

The fixture (Tests/NoteTakingTests/Fixtures/tnf_reference.safetensors) holds the weights under
Tenfold's parameter names, one corrupted batch with its word spans, a list of rare words, a
note dictionary as it stands before the step, the input after the notes are mixed in, the final
hidden states, the masked-LM loss, the gradient of the loss with respect to every parameter,
and the note dictionary after the step. NoteTakingTests (TNFReferenceTests) loads the same
weights and dictionary into Tenfold's model with NoteTaking on its input seam and compares.

The step, as the specification states it:
- a rare word is a whole word (all the tokens of one word span), recognised in the batch's
  original tokens: a masked rare word is still that word;
- mixing (before the embedding LayerNorm): for every occurrence of a rare word that has a note
  and none of whose tokens was picked for prediction (masked, replaced or kept: the leakage
  rule), each of its tokens' E[id] + p becomes (1 - lambda)(E[id] + p) + lambda * note;
- the forward pass without dropout, the mean cross-entropy at the picked positions;
- a note from every occurrence, intact or not: the mean of the final hidden states over
  [s - k, t + k] clipped to the sequence's real tokens; a word's notes in the batch are
  averaged; a word seen before moves by (1 - gamma) note + gamma mean, a word not seen before
  takes the mean as it is. Words absent from the batch keep their note.

The reference is computed in float64 and stored as float32. The same step in float32 is run
beside it, and the script prints how far float32 is from float64 for each compared quantity:
the rounding noise an implementation in Float32 should show, far below the test's tolerances.

Run (needs PyTorch for CPU, safetensors and numpy; `make torch-venv` installs them):
    /tmp/torchref/bin/python scripts/make_tnf_fixture.py
"""
import json
import math
import pathlib
import struct

import torch
import torch.nn.functional as F
from safetensors.torch import load_file

torch.manual_seed(20261201)
V, H, L, A, FF, T, B = 50, 16, 2, 2, 32, 12, 2
D = H // A
EPS = 1e-12
K, GAMMA, LAMBDA = 2, 0.1, 0.5        # k = 2 (not Tenfold's 16) so that windows clip
PAD, CLS, SEP, MASK = 0, 2, 3, 4      # Tenfold's vocabulary

# The batch before corruption: [CLS] words [SEP] [PAD]…, with the word spans (start, end).
original = [
    [CLS, 20, 21, 7, 35, 36, 37, 20, 21, 22, 25, SEP],
    [CLS, 9, 20, 21, 11, 15, 16, 30, SEP, PAD, PAD, PAD],
]
lengths = [12, 9]                     # the second sequence is padded
spans = [
    [(1, 3), (3, 4), (4, 7), (7, 10), (10, 11)],
    [(1, 2), (2, 4), (4, 5), (5, 7), (7, 8)],
]
# Picked for prediction, flat b*T + t, with what the input shows there.
corruption = {
    3: MASK,           # a plain word, masked
    8: 44,             # inside [20 21 22] (not rare, though it starts like rare word 0), replaced
    10: 25,            # rare word 4, kept unchanged: still picked, so no note (leakage rule)
    T + 1: 30,         # a plain word replaced by 30, which would spell rare word 1 in the corrupted ids
    T + 3: MASK,       # inside rare word 0's second occurrence, masked: no note (leakage rule)
    T + 5: 46,         # inside rare word 5, replaced by a random token: no note (leakage rule)
}
rare_words = [
    [20, 21],          # 0: two tokens; twice in the batch (intact at the very start of sequence 0,
                       #    masked in sequence 1): mixed once, noted twice, the two notes averaged
    [30],              # 1: intact at the very end of the padded sequence: mixed; its window stops
                       #    at the last real token ([SEP])
    [35, 36, 37],      # 2: three tokens, intact, not seen before: no note mixed, its first note stored
    [40],              # 3: seen before, not in the batch: its note stays as it is
    [25],              # 4: picked but kept, at the end of sequence 0 (its window clips there)
    [15, 16],          # 5: one token replaced by a random one
]
counts = [14, 12, 11, 11, 10, 9]       # what a corpus count would have said (only stored)
seen_before = [1, 1, 0, 1, 1, 1]

positions = sorted(corruption)
ids = [row[:] for row in original]
for position, token in corruption.items():
    ids[position // T][position % T] = token
labels = [original[p // T][p % T] for p in positions]

# Occurrences, recognised in the original tokens; intact when none of their tokens is picked.
word_index = {tuple(w): i for i, w in enumerate(rare_words)}
occurrences = []                       # (b, start, end, word, intact)
for b in range(B):
    for s, e in spans[b]:
        w = word_index.get(tuple(original[b][s:e]))
        if w is not None:
            occurrences.append((b, s, e, w, all(b * T + t not in corruption for t in range(s, e))))

def normal(*shape):
    # A larger spread than 0.02 so every path carries gradients well above Float32 noise.
    return torch.randn(*shape, dtype=torch.float64) * 0.5

def small(*shape):
    return torch.randn(*shape, dtype=torch.float64) * 0.1   # non-zero biases exercise their paths

def ones(*shape):
    return 1 + torch.randn(*shape, dtype=torch.float64) * 0.1

weights = {}
def p(name, tensor):
    weights[name] = tensor

# Creation order matches Tenfold's ParameterStore order (not required, but easy to read).
p("embeddings.word", normal(V, H))
p("embeddings.position", normal(T, H))
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

# The dictionary before the step: post-LN-sized notes for the words seen before, and something
# other than a note in the row of the word never seen (a checkpoint holds zeros there): it must
# be neither mixed in nor averaged into the first note.
notes_before = torch.randn(len(rare_words), H, dtype=torch.float64)


def step(dtype, with_notes=True):
    """One TNF step in `dtype`: (loss, gradients, mixed input, hidden, notes after, seen after)."""
    params = {name: t.to(dtype).clone().requires_grad_() for name, t in weights.items()}
    notes = notes_before.to(dtype)

    def layer_norm(x, name):
        return F.layer_norm(x, (H,), params[name + ".gamma"], params[name + ".beta"], EPS)

    def linear(x, name):
        return x @ params[name + ".weight"] + params[name + ".bias"]

    x = params["embeddings.word"][torch.tensor(ids)] + params["embeddings.position"][:T]   # [B, T, H]
    if with_notes:
        # Mixing builds a new tensor row by row, so autograd sees (1 - lambda) on mixed rows.
        rows = [[x[b, t] for t in range(T)] for b in range(B)]
        for b, s, e, w, intact in occurrences:
            if intact and seen_before[w]:
                for t in range(s, e):
                    rows[b][t] = (1 - LAMBDA) * rows[b][t] + LAMBDA * notes[w]
        x = torch.stack([torch.stack(r) for r in rows])
    mixed = x
    x = layer_norm(x, "embeddings.norm")
    key_mask = torch.arange(T)[None, :] < torch.tensor(lengths)[:, None]                    # [B, T]
    for l in range(L):
        pre = f"encoder.layer.{l}"
        def heads(t):
            return t.view(B, T, A, D).transpose(1, 2)                                      # [B, A, T, D]
        q = heads(linear(x, f"{pre}.attention.query"))
        k = heads(linear(x, f"{pre}.attention.key"))
        v = heads(linear(x, f"{pre}.attention.value"))
        scores = q @ k.transpose(-1, -2) / math.sqrt(D)                                     # [B, A, T, T]
        scores = scores.masked_fill(~key_mask[:, None, None, :], float("-inf"))
        probs = scores.softmax(-1)
        context = (probs @ v).transpose(1, 2).reshape(B, T, H)
        x = layer_norm(x + linear(context, f"{pre}.attention.output"), f"{pre}.attention_norm")
        ffn = linear(F.gelu(linear(x, f"{pre}.ffn.intermediate")), f"{pre}.ffn.output")
        x = layer_norm(x + ffn, f"{pre}.output_norm")
    hidden = x

    rows = hidden.reshape(B * T, H)[torch.tensor(positions)]                                # [N, H]
    h = layer_norm(F.gelu(linear(rows, "mlm.transform")), "mlm.norm")
    logits = h @ params["embeddings.word"].T + params["mlm.bias"]                           # [N, V]
    loss = F.cross_entropy(logits, torch.tensor(labels))
    loss.backward()
    gradients = {name: t.grad.detach() for name, t in params.items()}

    # The note update, from the step's hidden states (constants), every occurrence.
    c = hidden.detach()
    taken = {}
    for b, s, e, w, _ in occurrences:
        low, high = max(0, s - K), min(lengths[b], e + K)         # [s - k, t + k], t = e - 1
        taken.setdefault(w, []).append(c[b, low:high].mean(0))
    notes_after = notes.clone()
    seen_after = list(seen_before)
    for w, means in taken.items():
        mean = torch.stack(means).mean(0)
        notes_after[w] = (1 - GAMMA) * notes[w] + GAMMA * mean if seen_before[w] else mean
        seen_after[w] = 1
    return loss.detach(), gradients, mixed.detach(), c, notes_after, seen_after


loss, gradients, mixed, hidden, notes_after, seen_after = step(torch.float64)
loss32, gradients32, mixed32, hidden32, notes_after32, _ = step(torch.float32)
plain_loss = step(torch.float64, with_notes=False)[0]

def relative(a, reference):
    """max |a - ref| / max |ref|, the measure the Swift test uses."""
    return ((a.double() - reference).abs().max() / reference.abs().max().clamp_min(1e-12)).item()

print("the step, float32 against float64 (the rounding noise to expect from Tenfold):")
print(f"  loss       {abs(loss32.item() - loss.item()) / abs(loss.item()):.2e}")
print(f"  mixed      {relative(mixed32, mixed):.2e}")
print(f"  hidden     {relative(hidden32, hidden):.2e}")
worst = max((relative(gradients32[n], g), n) for n, g in gradients.items() if not n.endswith("attention.key.bias"))
print(f"  gradients  {worst[0]:.2e} at worst ({worst[1]})")
print(f"  notes      {(notes_after32.double() - notes_after).abs().max().item():.2e} (absolute)")
key_bias = max(gradients[f"encoder.layer.{l}.attention.key.bias"].abs().max().item() for l in range(L))
print(f"  (the key biases' gradients are 0 in exact arithmetic: {key_bias:.1e} in float64)")
smallest = min((g.abs().max().item(), n) for n, g in gradients.items() if not n.endswith("attention.key.bias"))
print(f"smallest gradient scale (max |g|): {smallest[0]:.2e} ({smallest[1]})")
print(f"loss {loss.item():.6f} with notes, {plain_loss.item():.6f} without")
mixed_occurrences = [(b, s, e, w) for b, s, e, w, intact in occurrences if intact and seen_before[w]]
print(f"occurrences {len(occurrences)}, mixed {mixed_occurrences}")

def padded(rows, width):
    return torch.tensor([r + [-1] * (width - len(r)) for r in rows], dtype=torch.float32)

out = {name: t.float() for name, t in weights.items()}
out.update({f"grad.{name}": g.float() for name, g in gradients.items()})
out["input.ids"] = torch.tensor(ids, dtype=torch.float32)                       # corrupted
out["input.lengths"] = torch.tensor(lengths, dtype=torch.float32)
width = max(len(s) for s in spans)
out["input.word_starts"] = padded([[s for s, _ in r] for r in spans], width)   # [B, S], -1 after the last word
out["input.word_ends"] = padded([[e for _, e in r] for r in spans], width)
out["input.masked_positions"] = torch.tensor(positions, dtype=torch.float32)
out["input.masked_originals"] = torch.tensor(labels, dtype=torch.float32)
out["targets.labels"] = torch.tensor(labels, dtype=torch.float32)
out["notes.words"] = padded(rare_words, max(len(w) for w in rare_words))      # [W, M], -1 after the word
out["notes.counts"] = torch.tensor(counts, dtype=torch.float32)
out["notes.before"] = notes_before.float()
out["notes.seen_before"] = torch.tensor(seen_before, dtype=torch.float32)
out["notes.after"] = notes_after.float()
out["notes.seen_after"] = torch.tensor(seen_after, dtype=torch.float32)
out["output.mixed"] = mixed.float()                                           # E[id] + p after mixing, [B, T, H]
out["output.hidden"] = hidden.float()
out["output.loss"] = loss.float().reshape(1)
out["output.loss_without_notes"] = plain_loss.float().reshape(1)
target = pathlib.Path(__file__).resolve().parent.parent / "Tests/NoteTakingTests/Fixtures/tnf_reference.safetensors"
target.parent.mkdir(parents=True, exist_ok=True)
metadata = {"V": str(V), "H": str(H), "L": str(L), "A": str(A), "F": str(FF), "T": str(T), "B": str(B),
            "epsilon": str(EPS), "k": str(K), "gamma": str(GAMMA), "lambda": str(LAMBDA), "mask": str(MASK),
            "torch": torch.__version__}


def write_safetensors(tensors, metadata, path):
    """The safetensors format with a sorted header, so that a rerun writes the same bytes
    (safetensors' save_file orders the metadata differently from run to run)."""
    header, offset, data = {"__metadata__": dict(sorted(metadata.items()))}, 0, []
    for name in sorted(tensors):
        raw = tensors[name].contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        data.append(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(data))


write_safetensors(out, metadata, target)
assert all(torch.equal(load_file(str(target))[k], v) for k, v in out.items()), "the file reads back"
print(f"wrote {target} (loss {loss.item():.6f})")

#!/usr/bin/env python3
"""Checks a `tenfold export` folder with Hugging Face transformers: same top-5 as `tenfold predict`.

Usage (run by hand; `make test` does not need PyTorch):
    python3 -m venv /tmp/torchref
    /tmp/torchref/bin/pip install 'torch==2.13.0+cpu' transformers
    swift run -c release tenfold export --checkpoint out/chapter1/run/checkpoint.safetensors --out out/hf
    /tmp/torchref/bin/python scripts/check_hf_export.py out/hf out/chapter1/run/checkpoint.safetensors

For each sentence it runs `tenfold predict --json` on the checkpoint and BertForMaskedLM on the
export, and compares the top-5 tokens per [MASK] (and their probabilities, to 1e-4).
"""
import json
import pathlib
import subprocess
import sys

import torch
from transformers import BertForMaskedLM, BertTokenizer

SENTENCES = [
    "the [MASK] sat on the mat.",
    "in the beginning god created the heavens and the [MASK].",
    "the sqlite library reads the database [MASK] from disk.",
    "and he [MASK] to them, \"follow me.\"",
    "a [MASK] is a person who talks when you wish him to listen.",
]


def tenfold_predict(checkpoint: str, text: str):
    tenfold = pathlib.Path(__file__).resolve().parent.parent / ".build/release/tenfold"
    command = [str(tenfold)] if tenfold.exists() else ["swift", "run", "-c", "release", "tenfold"]
    result = subprocess.run(command + ["predict", "--checkpoint", checkpoint, "--text", text, "--top-k", "5", "--json"],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)["predictions"]


def main() -> int:
    export, checkpoint = sys.argv[1], sys.argv[2]
    tokenizer = BertTokenizer.from_pretrained(export)
    model = BertForMaskedLM.from_pretrained(export).eval()
    special = set(tokenizer.all_special_ids) | {i for t, i in tokenizer.vocab.items() if t.startswith("[unused")}
    failures = 0
    for text in SENTENCES:
        ours = tenfold_predict(checkpoint, text)
        encoded = tokenizer(text, return_tensors="pt")
        with torch.no_grad():
            logits = model(**encoded).logits[0]
        positions = (encoded["input_ids"][0] == tokenizer.mask_token_id).nonzero().flatten().tolist()
        for k, position in enumerate(positions):
            probabilities = logits[position].softmax(-1)
            for i in special:
                probabilities[i] = -1
            top = probabilities.topk(5)
            theirs = [(tokenizer.convert_ids_to_tokens(int(i)), float(p)) for p, i in zip(top.values, top.indices)]
            same_tokens = [c["token"] for c in ours[k]] == [t for t, _ in theirs]
            close = all(abs(c["score"] - p) < 1e-4 for c, (_, p) in zip(ours[k], theirs))
            status = "same" if same_tokens and close else "DIFFERENT"
            failures += status != "same"
            print(f"{status}: {text!r} mask {k + 1}")
            print("   tenfold:      " + ", ".join(f"{c['token']} {c['score']:.4f}" for c in ours[k]))
            print("   transformers: " + ", ".join(f"{t} {p:.4f}" for t, p in theirs))
    print("all top-5 predictions agree" if failures == 0 else f"{failures} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

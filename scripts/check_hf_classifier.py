#!/usr/bin/env python3
"""Checks a fine-tuned classifier's `tenfold export` with Hugging Face transformers: the same
outputs and the same predictions as `tenfold predict`.

Usage (run by hand; `make test` does not need PyTorch):
    make torch-venv                                   # torch for CPU and transformers in /tmp/torchref
    swift run -c release tenfold finetune --checkpoint out/chapter1/run/checkpoint.safetensors \
        --task mini:paraphrase --out out/paraphrase
    swift run -c release tenfold export --checkpoint out/paraphrase/classifier.safetensors --out out/hf-paraphrase
    /tmp/torchref/bin/python scripts/check_hf_classifier.py out/hf-paraphrase out/paraphrase/classifier.safetensors

For each sentence (or pair) it runs `tenfold predict --json` on the classifier and
BertForSequenceClassification on the export, with token types all 0 (the export's token-type
table has one row: Tenfold has no segment embeddings), and compares the head's outputs (to
1e-4 relative to their size) and the predicted label.
"""
import json
import pathlib
import subprocess
import sys

import torch
from transformers import BertForSequenceClassification, BertTokenizer

EXAMPLES = [
    ("And Jesus said to them, Follow me.", "Then said Jesus unto them, Come after me."),
    ("In the beginning was the Word.", "He went up into the mountain to pray."),
    ("the database file is read from disk.", None),
    ("a large animal with a long neck", "a tall African mammal with a very long neck"),
    ("Blessed are the meek, for they shall inherit the earth.",
     "Blessed are the meek: for they shall inherit the earth, and they shall see what they have hoped for."),
]


def tenfold_predict(checkpoint, text, pair):
    tenfold = pathlib.Path(__file__).resolve().parent.parent / ".build/release/tenfold"
    command = [str(tenfold)] if tenfold.exists() else ["swift", "run", "-c", "release", "tenfold"]
    arguments = ["predict", "--checkpoint", checkpoint, "--text", text, "--json"]
    if pair is not None:
        arguments += ["--pair", pair]
    result = subprocess.run(command + arguments, check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def main():
    export, checkpoint = sys.argv[1], sys.argv[2]
    tokenizer = BertTokenizer.from_pretrained(export)
    model = BertForSequenceClassification.from_pretrained(export).eval()
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    regression = model.config.problem_type == "regression"
    failures = 0
    for text, pair in EXAMPLES:
        ours = tenfold_predict(checkpoint, text, pair)
        encoded = tokenizer(text, pair, truncation="longest_first",
                            max_length=model.config.max_position_embeddings, return_tensors="pt")
        encoded["token_type_ids"] = torch.zeros_like(encoded["input_ids"])
        with torch.no_grad():
            outputs = model(**encoded).logits[0].tolist()
        theirs = f"{outputs[0]:.3f}" if regression else labels[max(range(len(outputs)), key=outputs.__getitem__)]
        scale = max(1.0, max(abs(v) for v in outputs))
        close = all(abs(a - b) <= 1e-4 * scale for a, b in zip(ours["outputs"], outputs))
        same = close and (regression or ours["prediction"] == theirs)
        failures += not same
        print(f"{'same' if same else 'DIFFERENT'}: {text!r}" + (f" / {pair!r}" if pair else ""))
        print("   tenfold:      " + ", ".join(f"{v:.5f}" for v in ours["outputs"]) + f" -> {ours['prediction']}")
        print("   transformers: " + ", ".join(f"{v:.5f}" for v in outputs) + f" -> {theirs}")
    print("all outputs and predictions agree" if failures == 0 else f"{failures} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared by Tenfold's Hugging Face comparison scripts: the embedded corpus and its split.

Introduced in Chapter 1 (Text pipeline). The split must equal `Text.Corpus.split()`:
a document is held out when SplitMix64-mix(seed ^ FNV-1a(source), index) / 2^64 < 0.05.
"""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Sources", "Text", "Resources", "corpus")
SOURCES = ["devils-dictionary", "sqlite-docs", "web-bible"]
SPLIT_SEED = 0x7E4F01D5
MASK = (1 << 64) - 1


def fnv1a(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & MASK
    return h


def mix(seed, index):
    z = (seed + (index + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def documents():
    """(source, index, paragraphs) for every document of the embedded corpus, in order."""
    for source in SOURCES:
        with open(os.path.join(CORPUS, source + ".txt"), encoding="utf-8") as f:
            text = f.read()
        index, paragraphs = 0, []
        for line in text.split("\n"):
            if line.strip() == "":
                if paragraphs:
                    yield source, index, paragraphs
                    index += 1
                paragraphs = []
            else:
                paragraphs.append(line)
        if paragraphs:
            yield source, index, paragraphs


def is_validation(source, index, fraction=0.05):
    draw = mix(SPLIT_SEED ^ fnv1a(source.encode()), index)
    return (draw >> 11) * 2.0 ** -53 < fraction


def validation_paragraphs():
    return [p for s, i, ps in documents() if is_validation(s, i) for p in ps]


def all_paragraphs():
    return [p for _, _, ps in documents() for p in ps]


def hf_tokenizer(vocab_path):
    from tokenizers import BertWordPieceTokenizer
    return BertWordPieceTokenizer(vocab_path, clean_text=True, handle_chinese_chars=True,
                                  strip_accents=True, lowercase=True)

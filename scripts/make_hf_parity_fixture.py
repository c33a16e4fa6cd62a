#!/usr/bin/env python3
"""Write the Hugging Face parity fixture: HF's token ids for every validation paragraph.

Introduced in Chapter 1 (Text pipeline). `TextTests/HuggingFaceParityTests` encodes the same
paragraphs with Tenfold and requires the same ids, token for token.

    python3 -m venv /tmp/textvenv && /tmp/textvenv/bin/pip install tokenizers transformers
    /tmp/textvenv/bin/python scripts/make_hf_parity_fixture.py

Reference: `tokenizers` BertWordPieceTokenizer (clean_text, handle_chinese_chars,
strip_accents, lowercase) on Sources/Text/Resources/corpus/vocab.txt, without [CLS]/[SEP].
When `transformers` is installed, its BertTokenizer (do_lower_case, strip_accents) is checked
to agree on every paragraph too.

Fixture format (Tests/TextTests/Fixtures/hf-parity-validation.bin), little-endian:
    magic "TFHFPAR1", UInt32 paragraph count, then per paragraph:
    UInt64 FNV-1a of its UTF-8 bytes, UInt32 token count, UInt16 ids.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_common  # noqa: E402

OUT = os.path.join(hf_common.ROOT, "Tests", "TextTests", "Fixtures", "hf-parity-validation.bin")


def main():
    vocab = os.path.join(hf_common.CORPUS, "vocab.txt")
    tokenizer = hf_common.hf_tokenizer(vocab)
    paragraphs = hf_common.validation_paragraphs()
    encodings = [e.ids for e in tokenizer.encode_batch(paragraphs, add_special_tokens=False)]
    try:
        from transformers import BertTokenizer
        slow = BertTokenizer(vocab, do_lower_case=True, strip_accents=True)
        disagree = sum(1 for p, ids in zip(paragraphs, encodings)
                       if slow.convert_tokens_to_ids(slow.tokenize(p)) != ids)
        print(f"transformers BertTokenizer disagrees with tokenizers on {disagree} paragraphs")
    except ImportError:
        print("transformers not installed: cross-check skipped")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(b"TFHFPAR1")
        f.write(struct.pack("<I", len(paragraphs)))
        for paragraph, ids in zip(paragraphs, encodings):
            f.write(struct.pack("<QI", hf_common.fnv1a(paragraph.encode()), len(ids)))
            f.write(struct.pack(f"<{len(ids)}H", *ids))
    tokens = sum(len(ids) for ids in encodings)
    size = sum(len(p.encode()) for p in paragraphs)
    print(f"{len(paragraphs)} validation paragraphs, {size} bytes, {tokens} tokens → {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()

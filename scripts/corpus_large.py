#!/usr/bin/env python3
"""Builds the large pre-training corpus (`make corpus-large`): cleaned English text from
Debian documentation and dictionary packages in OUT_DIR/text/, one folder per source, and
OUT_DIR/README.md.

Usage: scripts/corpus_large.py OUT_DIR [--jobs N]
       scripts/corpus_large.py --packages      (the Debian packages it reads)

Standard library only. The Debian packages are installed by the Makefile target
(scripts/apt_install.sh) before this runs; a source whose files are missing is an error,
not a silent gap. Output format (what `tenfold vocab` and `tenfold prepare` read): UTF-8 text
files, one paragraph per line, a blank line between documents. The same packages give the
same bytes: files are visited in sorted order and every rule below is deterministic.
"""
import glob
import gzip
import hashlib
import html.parser
import os
import re
import sys
from multiprocessing import Pool

from extract_corpus import b64_number   # dictd index offsets (the embedded corpus reads dict-devil)

# Each source: name, Debian package, license, how to find its files, how to read one file.
SOURCES = [
    ("linux-kernel-docs", "linux-doc", "GPL-2.0 (the Linux kernel's documentation)",
     "/usr/share/doc/linux-doc-*/html", ".html", "html"),
    ("python-docs", "python3-doc", "PSF License 2 (Python documentation)",
     "/usr/share/doc/python3.*/html", ".html", "html"),
    ("postgresql-docs", "postgresql-doc", "PostgreSQL License (BSD-like)",
     "/usr/share/doc/postgresql-doc-*/html", ".html", "html"),
    ("django-docs", "python-django-doc", "BSD-3-Clause (Django documentation)",
     "/usr/share/doc/python-django-doc/html", ".html", "html"),
    ("perl-docs", "perl-doc", "Artistic License or GPL-1+ (Perl's pod documentation)",
     "/usr/share/perl/5.*/pod", ".pod", "pod"),
    ("git-docs", "git-doc", "GPL-2.0 (Git's manuals and guides)",
     "/usr/share/doc/git-doc", ".txt", "asciidoc"),
    ("rust-docs", "rust-doc", "MIT or Apache-2.0 (the Rust books, reference and standard library docs)",
     "/usr/share/doc/rust-doc/html", ".html", "html"),
    ("debian-handbook", "debian-handbook", "CC-BY-SA-3.0 or GPL-2+ (The Debian Administrator's Handbook)",
     "/usr/share/doc/debian-handbook/html/en-US", ".html", "html"),
    ("gnucash-docs", "gnucash-docs", "GFDL-1.1+ (the GnuCash guide and help, English)",
     "/usr/share/doc/gnucash-docs", ".html", "html"),
    ("java-api-docs", "openjdk-17-doc", "GPL-2.0 with the Classpath exception (the Java SE API documentation)",
     "/usr/share/doc/openjdk-*-doc/api", ".html", "html"),
    ("qt-docs", "qtbase5-doc-html", "GFDL-1.3 (Qt 5 documentation)",
     "/usr/share/qt5/doc", ".html", "html"),
    ("erlang-docs", "erlang-doc", "Apache-2.0 (Erlang/OTP documentation)",
     "/usr/share/doc/erlang-doc", ".html", "html"),
    ("scipy-docs", "python-scipy-doc", "BSD-3-Clause (SciPy documentation)",
     "/usr/share/doc/python-scipy-doc/html", ".html", "html"),
    ("nodejs-docs", "nodejs-doc", "MIT (Node.js API documentation)",
     "/usr/share/doc/nodejs/api", ".html", "html"),
    ("foldoc-dictionary", "dict-foldoc", "GFDL-1.1+ (Free On-line Dictionary of Computing)",
     "/usr/share/dictd/foldoc.dict.dz", None, "dictd"),
    ("gcide-dictionary", "dict-gcide",
     "GPL-3+ (GNU Collaborative International Dictionary of English; from Webster's 1913, public domain)",
     "/usr/share/dictd/gcide.dict.dz", None, "dictd"),
]
# The Debian packages to install (the Makefile passes these names to apt-get).
PACKAGES = [source[1] for source in SOURCES]

MIN_WORDS = 4
SKIP_TAGS = {"script", "noscript", "style", "pre", "nav", "header", "footer", "table", "head", "title", "math", "svg"}
SKIP_CLASSES = {"sphinxsidebar", "related", "navigation", "toctree-wrapper", "highlight", "footer",
                "headerlink", "navheader", "navfooter", "toc", "sphinxsidebarwrapper", "breadcrumbs",
                "contents", "footnote", "citation", "literal-block", "programlisting", "screen", "synopsis"}
BLOCK_TAGS = {"p", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "blockquote",
              "br", "td", "th", "caption", "figcaption", "ul", "ol", "dl", "article", "aside", "body"}
VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"}


class Paragraphs(html.parser.HTMLParser):
    """Text of block elements, skipping code listings, navigation, tables and sidebars."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.current, self.stack, self.skipping = [], [], [], 0

    def flush(self):
        if self.current:
            self.paragraphs.append("".join(self.current))
            self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            if tag == "br":
                self.current.append(" ")
            return
        classes = set((dict(attrs).get("class") or "").split())
        skip = tag in SKIP_TAGS or bool(classes & SKIP_CLASSES) or dict(attrs).get("role") == "navigation"
        self.stack.append((tag, skip))
        if skip:
            self.skipping += 1
        if tag in BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        # Pop to the matching tag (HTML in the wild leaves some elements unclosed).
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                for _, skip in self.stack[k:]:
                    if skip:
                        self.skipping -= 1
                del self.stack[k:]
                break
        if tag in BLOCK_TAGS:
            self.flush()

    def handle_data(self, data):
        if self.skipping == 0:
            self.current.append(data)


def read_html(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    parser = Paragraphs()
    parser.feed(text)
    parser.close()
    parser.flush()
    return parser.paragraphs


POD_CODES = re.compile(r"[A-Z]<+\s*([^<>]*?)\s*>+")


def read_pod(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        blocks = f.read().split("\n\n")
    paragraphs, in_pod = [], True
    for block in blocks:
        if block.startswith("=cut"):
            in_pod = False
            continue
        if block.startswith("=pod") or block.startswith("=head"):
            in_pod = True
        if not in_pod or block.startswith((" ", "\t")):   # verbatim (code) paragraphs
            continue
        if block.startswith("="):
            command, _, rest = block.partition(" ")
            if command not in ("=head1", "=head2", "=head3", "=head4", "=item"):
                continue
            block = rest
        for _ in range(3):                                  # nested formatting codes
            block = POD_CODES.sub(lambda m: m.group(1).split("|")[0], block)
        paragraphs.append(block)
    return paragraphs


ASCIIDOC_MARKUP = re.compile(r"(?<!\w)[`*'_+]{1,2}([^`*'_+\n]+?)[`*'_+]{1,2}(?!\w)")


def read_asciidoc(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    paragraphs, in_block = [], False
    for block in text.split("\n\n"):
        lines = block.split("\n")
        # Delimited listings (---- or ....) toggle; indented blocks are literal text.
        delimiters = sum(1 for line in lines if re.fullmatch(r"(-{4,}|\.{4,}|={4,}|\+{4,})", line.strip()))
        if delimiters % 2 == 1:
            in_block = not in_block
            continue
        if in_block or delimiters or block.startswith((" ", "\t")):
            continue
        lines = [line for line in lines if not re.fullmatch(r"[-=~^+]{3,}|\[.*\]|:.*:.*|//.*", line.strip())]
        paragraphs.append(ASCIIDOC_MARKUP.sub(r"\1", " ".join(lines)))
    return paragraphs


def read_dictd(path):
    """One document per entry (the dictd index's offsets), WordNet-derived senses dropped."""
    index = path.replace(".dict.dz", ".index")
    with gzip.open(path, "rb") as f:
        data = f.read()
    documents, seen = [], set()
    with open(index, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[0].startswith("00-database"):
                continue
            start, length = b64_number(parts[1]), b64_number(parts[2])
            if start in seen:
                continue
            seen.add(start)
            entry = data[start:start + length].decode("utf-8", errors="replace")
            paragraphs = []
            for block in entry.split("\n\n")[1:]:   # the first block is the headword line
                if "WordNet" in block:
                    continue
                block = re.sub(r"\[[^\]]*\]", " ", block)   # etymologies, sources
                block = re.sub(r"^\s*<[^>]*>", " ", block)     # FOLDOC's subject tag
                block = block.replace("{", "").replace("}", "")  # FOLDOC's cross-references
                paragraphs.append(block)
            documents.append(paragraphs)
    return documents


def clean(paragraphs):
    kept = []
    for p in paragraphs:
        p = " ".join(p.split())
        if len(p.split()) < MIN_WORDS:
            continue
        letters = sum(c.isalpha() or c == " " for c in p)
        if letters < 0.75 * len(p):                 # code, tables of numbers, option lists
            continue
        if sum(ord(c) > 127 for c in p) > 0.1 * len(p):   # not English
            continue
        kept.append(p)
    return kept


READERS = {"html": read_html, "pod": read_pod, "asciidoc": read_asciidoc}


def convert(job):
    reader, path = job
    try:
        return path, clean(READERS[reader](path))
    except (OSError, UnicodeError) as error:
        print(f"corpus-large: skipped {path}: {error}", file=sys.stderr)
        return path, []


# Paths left out: translations (the corpus is English), source-code listings, implementor
# lists, other languages' GnuCash manuals.
EXCLUDED = re.compile(r"/(translations|src|implementors)/|/gnucash-(guide|help)-(?!en)[a-z_]+/")


def files_of(root, extension):
    found = []
    for folder, _, names in os.walk(root):
        if EXCLUDED.search(folder + "/"):
            continue
        for name in names:
            if name.endswith(extension) and not name.startswith(("genindex", "search", "py-modindex")):
                found.append(os.path.join(folder, name))
    return sorted(found)


def write_source(out_dir, name, documents):
    """Writes documents, dropping repeated paragraphs (boilerplate); returns bytes written."""
    folder = os.path.join(out_dir, "text", name)
    os.makedirs(folder, exist_ok=True)
    seen, size, part, written = set(), 0, 0, 0
    handle = None
    for paragraphs in documents:
        unique = []
        for p in paragraphs:
            key = hashlib.blake2b(p.encode(), digest_size=8).digest()
            if key not in seen:
                seen.add(key)
                unique.append(p)
        if not unique:
            continue
        if handle is None or written > 32 << 20:    # 32 MB files
            if handle:
                handle.close()
            handle = open(os.path.join(folder, f"part-{part:03d}.txt.tmp"), "w", encoding="utf-8")
            part, written = part + 1, 0
        text = "\n".join(unique) + "\n\n"
        handle.write(text)
        written += len(text.encode())
        size += len(text.encode())
    if handle:
        handle.close()
    for k in range(part):
        tmp = os.path.join(folder, f"part-{k:03d}.txt.tmp")
        os.replace(tmp, tmp[:-4])
    return size


def main():
    args = sys.argv[1:]
    if args[:1] == ["--packages"]:
        print(" ".join(PACKAGES))
        return
    if not args or args[0].startswith("-"):
        sys.exit("usage: corpus_large.py OUT_DIR [--jobs N] | --packages")
    out_dir = args[0]
    jobs = int(args[args.index("--jobs") + 1]) if "--jobs" in args else os.cpu_count()
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    with Pool(jobs) as pool:
        for name, package, license_, root, extension, reader in SOURCES:
            found = sorted(glob.glob(root))
            if not found:
                sys.exit(f"corpus-large: {root} is missing: install the Debian package {package}")
            root = found[-1]                              # the newest version
            if reader == "dictd":
                documents = [clean(p) for p in read_dictd(root)]
                count = len(documents)
            else:
                paths = files_of(root, extension)
                results = pool.map(convert, [(reader, p) for p in paths], chunksize=8)
                documents = [paragraphs for _, paragraphs in results]
                count = len(paths)
            size = write_source(out_dir, name, documents)
            rows.append((name, package, license_, count, size))
            print(f"corpus-large: {name}: {size / 1e6:.1f} MB from {count} files or entries of {package}")
    total = sum(r[4] for r in rows)
    write_readme(out_dir, rows, total)
    print(f"corpus-large: {total / 1e6:.1f} MB in {out_dir}")


def write_readme(out_dir, rows, total):
    lines = [
        "# The large corpus (built by `make corpus-large`, not committed)",
        "",
        "Cleaned English text from Debian packages in `text/`, one folder per source (what",
        "`tenfold vocab --corpus` and `tenfold prepare --corpus` read), one paragraph per",
        "line, a blank line between documents (one document per HTML page, pod file, Git guide",
        "or dictionary entry). Built by `scripts/corpus_large.py`; the same packages give the",
        "same bytes. No mini-GLUE source is used: no Bible translation, and no WordNet text",
        "(GCIDE's senses taken from WordNet are dropped).",
        "",
        "| source | Debian package | license | files or entries | cleaned size |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, package, license_, count, size in rows:
        lines.append(f"| {name} | {package} | {license_} | {count} | {size / 1e6:.1f} MB |")
    lines += [
        f"| **total** | | | | **{total / 1e6:.1f} MB** |",
        "",
        "## Cleaning rules",
        "",
        "- HTML: the text of block elements (paragraphs, list items, definitions, headings);",
        "  code listings (`pre`, highlighted blocks), tables, navigation, sidebars, headers,",
        "  footers, tables of contents, footnotes and scripts are left out; the index and",
        "  search pages are skipped.",
        "- Perl pod: headings, items and text paragraphs; verbatim (indented) paragraphs are",
        "  code and left out; formatting codes (`C<…>`, `L<text|link>`) keep their text.",
        "- Git's AsciiDoc guides: text paragraphs; delimited and indented listings, attribute",
        "  lines, comments and underlines are left out; inline markup keeps its text.",
        "- GCIDE and FOLDOC: one document per dictionary entry (dictd index order), the",
        "  headword line dropped, bracketed etymologies and source marks, FOLDOC's subject tags",
        "  and cross-reference braces removed, any sense that names",
        "  WordNet dropped.",
        "- Left out whole: the kernel's translations, source-code pages (`src/`), Rust's",
        "  implementor lists, GnuCash's manuals in other languages.",
        "- Every paragraph: whitespace collapsed; dropped when it has fewer than 4 words,",
        "  when fewer than 75% of its characters are letters or spaces (code, numbers, option",
        "  lists), or when more than 10% are not ASCII (other languages); a paragraph already",
        "  seen in the same source is dropped (boilerplate).",
        "",
        "The licenses are those of the packages (see each one's /usr/share/doc/PACKAGE/copyright).",
        "The corpus is for training on this machine; redistribute it only under those terms.",
    ]
    with open(os.path.join(out_dir, "README.md.tmp"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(os.path.join(out_dir, "README.md.tmp"), os.path.join(out_dir, "README.md"))


if __name__ == "__main__":
    main()

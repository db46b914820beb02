# dbrail — the two commands a new machine needs are `make demo` and `make test`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
VERSION ?= 0.1.0
OS_ARCH := $(shell uname -s | tr '[:upper:]' '[:lower:]')_$(shell uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
PLUGIN_DIR ?= $(HOME)/.terraform.d/plugins
PROVIDER_PATH := registry.terraform.io/dbrail/dbrail/$(VERSION)/$(OS_ARCH)

.PHONY: demo test lint unit acceptance build cli install deps bench clean release docs

## demo: build, start the embedded emulator, apply the examples, print their outputs, clean up
demo: deps
	cargo build --workspace --bins
	target/debug/dbrail-demo examples/parameter-baseline
	target/debug/dbrail-demo examples/cluster

## test: format check, clippy -D warnings, unit tests, acceptance tests
test: deps lint
	cargo build --workspace --bins
	cargo test --workspace --no-fail-fast

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

unit:
	cargo test --workspace --lib --bins

acceptance: deps
	cargo build --workspace --bins
	cargo test -p dbrail-acceptance-tests

build:
	cargo build --release -p terraform-provider-dbrail

## cli: the `dbrail` command, optimised as a whole program (profile release-cli), in
## target/release-cli/dbrail
cli:
	cargo build --profile release-cli -p dbrail-cli

## install: lay the provider out as a filesystem mirror so a plain `terraform init` finds it
install: build
	mkdir -p "$(PLUGIN_DIR)/$(PROVIDER_PATH)"
	install -m 0755 target/release/terraform-provider-dbrail "$(PLUGIN_DIR)/$(PROVIDER_PATH)/terraform-provider-dbrail_v$(VERSION)"
	@echo "installed $(PLUGIN_DIR)/$(PROVIDER_PATH)/terraform-provider-dbrail_v$(VERSION)"

## deps: what a fresh machine lacks (the AWS API emulator; terraform must be on PATH)
deps:
	@bash .ci/deps.sh

## bench: startup, schema and memory measurements against Terraform's own baseline
bench: deps build bench-policy
	bash benches/provider.sh target/release/terraform-provider-dbrail

clean:
	cargo clean

## release: provider zips, SHA256SUMS (+ .sig with GPG_KEY_ID), manifest, packed mirror and
## module archives for VERSION into dist/ (platforms whose Rust target is installed)
release:
	python3 .ci/release.py "$(VERSION)" --out dist

## docs: regenerate docs/ (registry pages from the provider schema, rules.md from the rule
## catalogue) and the module README tables; a test fails when the committed result is stale
docs:
	cargo build --workspace --bins
	target/debug/dbrail-docgen --provider target/debug/terraform-provider-dbrail
	target/debug/dbrail policy rules --format markdown > docs/rules.md

.PHONY: bench-policy fuzz

## bench-policy: `dbrail policy check` against checkov on generated plans of 10 to 10,000 databases
bench-policy: cli
	bash benches/policy.sh target/release-cli/dbrail

## fuzz: each fuzz target (value codec, plan reader, waivers parser) for FUZZ_SECONDS (default 30)
fuzz:
	bash fuzz/run.sh

# Customer-analytics platform: one entry point for humans and CI.
#   make plan STACK=dev|prod   offline plan of what `pulumi up` would create (no cloud needed)
#   make test                  everything CI checks (lint + Go + Python + SQL + workflows)
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

STACK ?= dev
GO ?= go
BIN := $(CURDIR)/bin
export GOBIN := $(BIN)

# Tool versions that install from the module proxy here (see DESIGN.md section 3).
STATICCHECK_VERSION := v0.8.2
ACTIONLINT_VERSION := v1.7.12

# Each area appends its own checks; `make test` runs them all.
TEST_TARGETS := lint-go test-go

.PHONY: help
help: ## list targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

# ---------------------------------------------------------------------------------------------
# Go: the Pulumi program
# ---------------------------------------------------------------------------------------------
# A first build compiles the Azure SDK modules (see README "Quick start" for the time and memory):
# go-deps (and `make plan`'s build) compile whatever is not in the build cache yet, with a progress
# line (scripts/go-progress.sh), and print nothing when all is cached. GO_BUILD_FLAGS and GO_BUILD_ENV
# bound that compile's memory. The azure-native network package alone takes 5.6 GiB to compile with
# Go's defaults; GOGC=50 (collect when the heap grows by half, not by all of it:
# https://go.dev/doc/gc-guide#GOGC) holds it at 4.5 GiB for 38% more CPU on that package (+11% on the
# whole first build); GOMEMLIMIT=3GiB gave 4.0 GiB for twice the CPU. -p=1 runs one compile at a
# time, so that package's peak is the build's (each compile still uses every core in its back end).
# Warm runs compile nothing and are not affected. `make plan GO_BUILD_FLAGS= GO_BUILD_ENV=` is Go's
# default, for a machine with memory to spare.
GO_BUILD_FLAGS ?= -p=1
GO_BUILD_ENV ?= GOGC=50
GO_PROGRESS = GO="$(GO)" GO_BUILD_FLAGS="$(GO_BUILD_FLAGS)" $(GO_BUILD_ENV) scripts/go-progress.sh

.PHONY: go-deps
go-deps: ## compile the Go dependencies not cached yet, with progress (first run only)
	@$(GO_PROGRESS) -test ./...

.PHONY: plan
plan: ## offline plan of STACK (PLAN_FLAGS=--json|--markdown, CONFIG=file)
	@scripts/doctor.sh -q go
	@$(GO_PROGRESS) -o build/plan ./cmd/plan
	build/plan --stack $(STACK) $(if $(CONFIG),--config $(CONFIG)) $(PLAN_FLAGS)

.PHONY: docs
docs: ## regenerate docs/architecture.md (both stacks' diagrams, drawn from their offline plans)
	$(GO) run ./cmd/archdoc --out docs/architecture.md

.PHONY: build
build: go-deps ## compile the program and the plan tool
	$(GO) build ./...

.PHONY: test-go
test-go: go-deps ## Go unit tests (Pulumi mocks, contracts)
	$(GO) test ./...

$(BIN)/staticcheck:
	$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

.PHONY: lint-go
lint-go: go-deps $(BIN)/staticcheck ## gofmt, go vet, staticcheck
	@unformatted="$$(gofmt -l $$(git ls-files '*.go'))"; \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(BIN)/staticcheck ./...

.PHONY: fmt-go
fmt-go:
	gofmt -w $$(git ls-files '*.go')

# Go, Python, the JDK and make at the versions the README names; says what is missing and how to
# install it (scripts/doctor.sh). `make test` and `make demo` run it first.
.PHONY: doctor
doctor: ## check the prerequisites (Go, Python, JDK, make) and say how to install what is missing
	@MAKE_VERSION="$(MAKE_VERSION)" PYTHON="$(PYTHON)" scripts/doctor.sh

.PHONY: lint-scripts
lint-scripts: ## shellcheck scripts/ (the doctor and the build progress)
	@if command -v shellcheck >/dev/null 2>&1; then shellcheck scripts/*.sh .ci/run; \
	elif [ -n "$${CI:-}" ]; then echo "lint-scripts: shellcheck is required in CI"; exit 1; \
	else echo "lint-scripts: warning: shellcheck not installed, scripts/ not checked"; fi

TEST_TARGETS += lint-scripts

# ---------------------------------------------------------------------------------------------
# Python: one virtualenv for notebooks, SQL checks and tools, rebuilt when the pins change
# ---------------------------------------------------------------------------------------------
VENV := $(CURDIR)/.venv
PY := $(VENV)/bin/python
PYTHON ?= python3

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

.PHONY: setup
setup: $(VENV)/.installed $(BIN)/staticcheck ## install every tool the checks need (idempotent)

# ---------------------------------------------------------------------------------------------
# Aggregates
# ---------------------------------------------------------------------------------------------
FMT_TARGETS := fmt-go
LINT_TARGETS := lint-go lint-scripts

# Two lanes: the Spark tests (test-python, most of the wall time) and, beside them, every other
# check one after the other; each lane's output is printed whole when it ends. The venv both
# lanes use is built first. Warm, nothing changed: the other checks take about 11 s, which the
# Spark tests' lane hides. TEST_LANES=1 runs one check after another: for a machine with little
# memory, where a cold Go build (4.5 GiB) beside the Spark tests (4.1 GiB) would not fit.
TEST_LANES ?= 2

.PHONY: test test-lane-spark test-lane-checks
test: doctor $(VENV)/.installed ## run every check CI runs (TEST_LANES=1: one after another)
ifeq ($(TEST_LANES),1)
	$(MAKE) $(TEST_TARGETS)
else
	@echo "make test: the Spark tests and the other checks run side by side; each prints when it ends"
	$(MAKE) --no-print-directory -j2 --output-sync=recurse test-lane-spark test-lane-checks
endif

test-lane-spark:
	$(MAKE) test-python

test-lane-checks:
	$(MAKE) $(filter-out test-python,$(TEST_TARGETS))

.PHONY: lint
lint: ## all linters
	$(MAKE) $(LINT_TARGETS)

.PHONY: fmt
fmt: ## format Go and Python sources
	$(MAKE) $(FMT_TARGETS)

# ---------------------------------------------------------------------------------------------
# Workflows (.github/): actionlint, which also shellchecks every `run:` block when shellcheck is
# on PATH, plus shellcheck of .github/scripts. The contract tests live in internal/workflows and
# run with `go test ./...`. This section sits after the aggregates so that `LINT_TARGETS +=`
# appends to, rather than precedes, its `:=` definition.
# ---------------------------------------------------------------------------------------------
$(BIN)/actionlint:
	$(GO) install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)

.PHONY: lint-workflows
lint-workflows: $(BIN)/actionlint ## actionlint + shellcheck on .github/ (shellcheck required when CI is set)
	@if command -v shellcheck >/dev/null 2>&1; then \
	  shellcheck --version | sed -n 2p; \
	  shellcheck .github/scripts/*.sh internal/workflows/testdata/*.sh; \
	  shellcheck --shell=bash internal/workflows/testdata/fakebin/*; \
	elif [ -n "$${CI:-}" ]; then \
	  echo "lint-workflows: shellcheck is required in CI (Debian package: shellcheck)"; exit 1; \
	else \
	  echo "lint-workflows: warning: shellcheck not installed, run: blocks and scripts are not shellchecked"; \
	fi
	$(BIN)/actionlint

setup: $(BIN)/actionlint

# The e2e workflow's script end to end against fake az, pulumi, sqlcmd and curl (no cloud, nothing
# in the worktree changes): prints each phase in order, the summary table and every fake call.
# FAKE_RUN_RESULT=Failed make e2e-dry-run shows a failed phase followed by the teardown.
.PHONY: e2e-dry-run
e2e-dry-run: ## run .github/scripts/e2e.sh end to end against fakes (make test runs it)
	internal/workflows/testdata/e2e-dry-run.sh

TEST_TARGETS += lint-workflows e2e-dry-run
LINT_TARGETS += lint-workflows

# ---------------------------------------------------------------------------------------------
# Python: the PySpark notebooks (notebooks/) and their logic package, tested on a local
# SparkSession with Delta. Every target depends on the venv, so a fresh clone needs only
# Python 3.11, a JDK 17 and network access to PyPI + Maven Central (Delta jars, first run only).
# The local lake for demo/bench lives under .lake/ (gitignored).
# ---------------------------------------------------------------------------------------------
PYTEST_ARGS ?=
# PYTEST_WORKERS=2 runs pytest-xdist workers, each with its own local SparkSession (--dist loadfile
# keeps a file, and so its module-scoped pipeline runs, on one worker). The default is one process:
# on 2 cores the serial run already keeps more than one core busy (driver, task and JIT threads), and
# two JVMs cost 16 % more CPU and were not faster (measured on a busy 2-core machine); on 4+ cores
# try 2.
PYTEST_WORKERS ?= 0
BENCH_ROWS ?= 1000000
BENCH_DAYS ?= 30
BENCH_LONG_DAYS ?= 90
NOTEBOOKS_PY := PYTHONPATH=$(CURDIR)/notebooks $(PY)

# The local Spark JVM's class archive (notebooks/tools/class_archive.py): written once per JDK and
# Spark version (about a minute), then mapped by every local session, which then starts faster.
.PHONY: jvm-archive
jvm-archive: $(VENV)/.installed ## write the local Spark JVM's class archive if missing (build/jvm)
	@$(NOTEBOOKS_PY) -m tools.class_archive

.PHONY: test-python
test-python: $(VENV)/.installed jvm-archive ## pytest on one local SparkSession (PYTEST_WORKERS=2, PYTEST_ARGS=...)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

.PHONY: lint-python
lint-python: $(VENV)/.installed ## ruff check + ruff format --check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

.PHONY: fmt-python
fmt-python: $(VENV)/.installed
	$(PY) -m ruff check --select I --fix .
	$(PY) -m ruff format .

.PHONY: demo
demo: doctor $(VENV)/.installed ## sample data -> both notebooks on a local lake (.lake/demo); prints metrics + gold
	$(NOTEBOOKS_PY) -m tools.demo --lake $(CURDIR)/.lake/demo

.PHONY: bench-pipeline
bench-pipeline: $(VENV)/.installed ## full refresh, incremental and tiny day on BENCH_DAYS and BENCH_LONG_DAYS of history (BENCH_ROWS rows per BENCH_DAYS); writes docs/benchmarks.{md,png}
	$(NOTEBOOKS_PY) -m tools.bench --rows $(BENCH_ROWS) --days $(BENCH_DAYS) --long-days $(BENCH_LONG_DAYS) \
	  --lake $(CURDIR)/.lake/bench --report $(CURDIR)/docs/benchmarks.md --plot $(CURDIR)/docs/benchmarks.png

TEST_TARGETS += lint-python test-python
LINT_TARGETS += lint-python
FMT_TARGETS += fmt-python

# ---------------------------------------------------------------------------------------------
# Synapse serverless SQL (synapse/, see synapse/README.md): render the ordered scripts for a stack
# from its outputs and, with APPLY=1, apply them with go-sqlcmd, signed in with Entra ID through
# the Azure CLI session. Rendering needs only python3 (no venv, no cloud); applying also needs Go
# (builds ./bin/sqlcmd), the Azure CLI logged in, and a way through the workspace firewall.
#   make synapse-sql STACK=dev OUTPUTS=synapse/tests/sample-outputs.dev.json   render offline
#   make synapse-sql STACK=dev APPLY=1        outputs from `pulumi stack output`, then apply
# Checks in `make test`: lint-sql (sqlfluff) and the pytest suite in synapse/tests (parse,
# contract, idempotency, analyst-view semantics on Spark).
# ---------------------------------------------------------------------------------------------
SQLCMD_VERSION := v1.10.0
SYNAPSE_OUT = $(CURDIR)/build/synapse/$(STACK)
OUTPUTS ?=
APPLY ?=
SYNAPSE_PY := PYTHONPATH=$(CURDIR)/notebooks:$(CURDIR)/synapse $(PY)

# go-sqlcmd, version pinned in synapse/sqlcmd/go.mod (the proxy serves it; `go install @version`
# does not work here, see that file).
$(BIN)/sqlcmd: synapse/sqlcmd/go.mod synapse/sqlcmd/go.sum
	cd synapse/sqlcmd && $(GO) build -trimpath -ldflags "-X main.version=$(SQLCMD_VERSION)" \
	  -o $@ github.com/microsoft/go-sqlcmd/cmd/modern

.PHONY: sqlcmd
sqlcmd: $(BIN)/sqlcmd ## build ./bin/sqlcmd (go-sqlcmd, the version pinned in synapse/sqlcmd/go.mod)

.PHONY: synapse-sql
synapse-sql: $(if $(filter 1,$(APPLY)),$(BIN)/sqlcmd) ## render synapse/*.sql for STACK (OUTPUTS=file or pulumi stack output); APPLY=1 applies
	@mkdir -p "$(SYNAPSE_OUT)"
	@if [ -n "$(OUTPUTS)" ]; then \
	  [ -f "$(OUTPUTS)" ] || { echo "synapse-sql: OUTPUTS=$(OUTPUTS): no such file"; exit 2; }; \
	  cp "$(OUTPUTS)" "$(SYNAPSE_OUT)/outputs.json"; \
	elif command -v pulumi >/dev/null 2>&1; then \
	  echo "synapse-sql: reading outputs with pulumi stack output --stack $(STACK)"; \
	  pulumi stack output --json --stack "$(STACK)" >"$(SYNAPSE_OUT)/outputs.json"; \
	else \
	  echo "synapse-sql: no stack outputs for $(STACK): pass OUTPUTS=path/to/outputs.json" \
	    "(what 'pulumi stack output --json' prints) or install the Pulumi CLI"; \
	  exit 2; \
	fi
	cd synapse && $(PYTHON) -m sqlkit.render --stack "$(STACK)" \
	  --outputs "$(SYNAPSE_OUT)/outputs.json" --out "$(SYNAPSE_OUT)"
ifeq ($(APPLY),1)
	synapse/apply.sh "$(SYNAPSE_OUT)" "$(BIN)/sqlcmd"
else
	@echo "synapse-sql: rendered only; APPLY=1 applies them (Azure CLI session, Synapse SQL admin)"
endif

.PHONY: synapse-generate
synapse-generate: $(VENV)/.installed ## regenerate synapse/030_gold_tables.sql from the gold contract
	$(SYNAPSE_PY) -m sqlkit.gold

.PHONY: lint-sql
lint-sql: $(VENV)/.installed ## sqlfluff (tsql) lint of synapse/*.sql
	cd synapse && $(VENV)/bin/sqlfluff lint .

.PHONY: fmt-sql
fmt-sql: $(VENV)/.installed
	cd synapse && $(VENV)/bin/sqlfluff fix .

TEST_TARGETS += lint-sql
LINT_TARGETS += lint-sql
FMT_TARGETS += fmt-sql

# ---------------------------------------------------------------------------------------------
# Databricks resources validated with the Databricks Terraform provider's own code: tools/tfvalidate
# (a separate Go module, so the program's build is unchanged; see its README section in README.md).
# Its first build compiles terraform-provider-databricks (about 7 minutes cold on 2 cores); `make setup`
# does it so `make test` only reuses it. test-tfvalidate lints and tests the tool, plans both stacks
# offline and validates every databricks:* resource and provider config they send.
# ---------------------------------------------------------------------------------------------
TFVALIDATE_DIR := tools/tfvalidate
TFVALIDATE_OUT := $(CURDIR)/build/tfvalidate
TFVALIDATE := $(TFVALIDATE_OUT)/tfvalidate
TFVALIDATE_SRC := $(shell find $(TFVALIDATE_DIR) -name '*.go' -o -name 'go.mod' -o -name 'go.sum' -o -name '*.json.gz' 2>/dev/null)

$(TFVALIDATE): $(TFVALIDATE_SRC)
	cd $(TFVALIDATE_DIR) && $(GO) build -o $@ .

.PHONY: tfvalidate
tfvalidate: $(TFVALIDATE) ## build the Databricks provider validator (build/tfvalidate/tfvalidate)

.PHONY: test-tfvalidate
test-tfvalidate: $(TFVALIDATE) $(BIN)/staticcheck ## validate both stacks' Databricks resources with the provider's code
	cd $(TFVALIDATE_DIR) && $(GO) vet ./... && $(BIN)/staticcheck ./... && $(GO) test ./...
	@$(GO_PROGRESS) -o build/plan ./cmd/plan
	@# cmd/plan exits 3 on a policy violation (test-go reports those); the plan JSON is still complete.
	for s in dev prod; do \
	  rc=0; build/plan --stack $$s --json >$(TFVALIDATE_OUT)/plan-$$s.json || rc=$$?; \
	  if [ $$rc -ne 0 ] && [ $$rc -ne 3 ]; then echo "test-tfvalidate: cmd/plan --stack $$s failed ($$rc)"; exit $$rc; fi; \
	done
	$(TFVALIDATE) $(TFVALIDATE_OUT)/plan-dev.json $(TFVALIDATE_OUT)/plan-prod.json

setup: $(TFVALIDATE)

TEST_TARGETS += test-tfvalidate

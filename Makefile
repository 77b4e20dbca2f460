SHELL := /bin/bash
# Pitstop: `make run` and `make test` are the two commands a new user needs (see README.md).
SWIFT      ?= swift
BUILD_DIR  ?= .build
DEMO_STORE ?= $(CURDIR)/.demo/store
BIN        := $(BUILD_DIR)/debug/pitstop

.PHONY: run test test-kernel test-install lint build setup setup-test release dist install uninstall deb bench screenshots format clean demo-reset crash soak fuzz

## setup: install what a fresh Debian machine lacks to build and run (ncursesw headers, tmux);
## setup-test: and to test (database servers, debootstrap, dpkg-dev, ssh, shellcheck, QEMU).
setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

build: setup
	$(SWIFT) build

## release: linked with Swift's runtime inside (--static-swift-stdlib), as installed and packaged.
release: setup
	$(SWIFT) build -c release --static-swift-stdlib

## install: the release build, supervisor, themes, runbooks, notify examples, man page, completions and systemd
## unit under PREFIX (default /usr/local), staged under DESTDIR when given; uninstall: the same files again.
## dist: the release build, man page and completions that install copies (sudo make install wants it first).
PREFIX ?= /usr/local
export PREFIX DESTDIR SYSCONFDIR UNITDIR ZSHDIR SWIFT
dist: setup
	@scripts/install.sh build

install: setup
	@scripts/install.sh install

uninstall:
	@scripts/install.sh uninstall

## deb: a Debian package of the same files in .build/deb/ (dpkg-deb; no network).
deb: setup
	@scripts/deb.sh

## run: the TUI on a demo store inside this tree (never your real store), with the engine running inside.
## The demo is made on first run, and made again when unused for an hour (its reservations would be stale).
run: build
	@if [ ! -f "$(DEMO_STORE)/journal" ] || [ -n "$$(find "$(DEMO_STORE)/journal" -mmin +60 2>/dev/null)" ]; then \
		$(BIN) --store "$(DEMO_STORE)" demo --force; fi
	$(BIN) --store "$(DEMO_STORE)"

## demo-reset: throw the demo store away and make a fresh one.
demo-reset: build
	$(BIN) --store "$(DEMO_STORE)" demo --force

## test: the whole suite (shellcheck on the runbooks and scripts, unit, store crash tests, CLI through the built
## binary, real servers, real upgrades on test hosts).
test: setup-test lint test-install
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip KernelUpgradeTests 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}

## test-kernel: the one test that really reboots: kernel-upgrade on a QEMU virtual machine (KVM where a kernel
## boots under it here, TCG otherwise: then 3-5 minutes). CI runs it after `make test`.
test-kernel: setup-test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter KernelUpgradeTests 2>&1 | tee .build/test-kernel.log; exit $${PIPESTATUS[0]}

## test-install: make install into a scratch root and run what it installed (an attempt under the installed
## supervisor, completions, man page, the unit), then make deb and install, run and remove the package in a fresh
## Debian root.
test-install: setup-test
	@scripts/install-test.sh

## lint: shellcheck on every runbook and script (a runbook is code that runs as root on a database host).
lint: setup-test
	shellcheck $$(find examples/runbooks examples/notify -type f -perm -u+x 2>/dev/null | sort)
	shellcheck --severity=warning scripts/*.sh scripts/lib/*.sh scripts/e2e/*.sh

## crash: the SIGKILL crash test, longer (PITSTOP_CRASH_ITERATIONS, default 300).
crash: build
	$(SWIFT) build --build-tests
	PITSTOP_CRASH_ITERATIONS=$${PITSTOP_CRASH_ITERATIONS:-300} $(SWIFT) test --skip-build --filter CrashTests

## soak: a daemon running 50,000 simulated executions followed by two consoles, a watch and a CLI writer
## (PITSTOP_SOAK_EXECUTIONS, PITSTOP_SOAK_TIMEOUT seconds).
## The processes under test are the release build, as operators run them for days.
soak: release
	$(SWIFT) build --build-tests
	PITSTOP_PRODUCTS=$(CURDIR)/$(BUILD_DIR)/release \
	PITSTOP_SOAK_EXECUTIONS=$${PITSTOP_SOAK_EXECUTIONS:-50000} PITSTOP_SOAK_TIMEOUT=$${PITSTOP_SOAK_TIMEOUT:-3600} \
		$(SWIFT) test --skip-build --filter FleetSoakTests

## fuzz: libFuzzer on the snapshot, journal, import, TIME and theme readers (FUZZ_SECONDS per target, default 300).
fuzz: setup
	@scripts/fuzz.sh

## bench: the SPEC §8/§14 budgets (pitstop bench), the SQLite and JSON baselines in one process, then whole
## processes side by side (SPEC §21): store info, tasks, task, reserve and the console's first frame, alternated
## with the C SQLite loader of the same rows (Benchmarks/, needs libsqlite3-dev). BENCH_RUNS runs each (11).
BENCH_RUNS ?= 11
bench: release
	$(BUILD_DIR)/release/pitstop bench
	@[ -e /usr/include/sqlite3.h ] || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq libsqlite3-dev >/dev/null; } || { echo "error: install libsqlite3-dev for the baselines" >&2; exit 1; }
	cd Benchmarks && $(SWIFT) build -c release && .build/release/pitstop-baselines
	@dir=$$(mktemp -d /tmp/pitstop-process-bench.XXXXXX) && trap 'rm -rf "$$dir"' EXIT && \
		Benchmarks/.build/release/pitstop-baselines --prepare "$$dir" && \
		python3 Benchmarks/process-bench.py $(BUILD_DIR)/release/pitstop Benchmarks/.build/release/sqlite-load "$$dir" --runs $(BENCH_RUNS)

screenshots: build
	@scripts/screenshots.sh

format:
	@command -v swift-format >/dev/null && swift-format format -i -r Sources Tests || echo "swift-format is not installed; skipping"

clean:
	rm -rf $(BUILD_DIR) .demo

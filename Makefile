# pidns-signal-lab: the Linux signal path in pid namespaces, as a UML kernel
# you run as a process.  `make help` lists the targets.
#
# Each folder owns one step and its own make fragment:
#   linux/        pinned source + patch series  -> build/src, build/linux
#   uml-configs/  Kconfig fragments             -> build/kernel/.config
#   tests/        guest root, runner, suites    -> build/rootfs, build/test
#   coverage/     gcov capture, report, gate    -> build/coverage
#   docs/         what to read

.DEFAULT_GOAL := linux
SHELL := /bin/sh
.DELETE_ON_ERROR:

ifeq ($(V),1)
  Q :=
else
  Q := @
endif

BUILD   := $(CURDIR)/build
SRC     := $(BUILD)/src
KBUILD  := $(BUILD)/kernel
ROOTFS  := $(BUILD)/rootfs
# The UML binary users run: a hard link of kbuild's build/kernel/linux.
# (It cannot be ./linux: that name is the recipe folder linux/.)
UML     := $(BUILD)/linux

# Which signal policy the interactive targets boot with.
POLICY ?= upstream
POLICY_VALUE_upstream := 0
POLICY_VALUE_rfc2007  := 1
ifeq ($(POLICY_VALUE_$(POLICY)),)
  $(error POLICY=$(POLICY) is not a policy: use upstream or rfc2007)
endif

# Debian packages, each with why the lab needs it.  Targets that need them
# depend on `deps` (order-only), which installs only what is missing.
DEPS := linux-source-6.12:the-kernel-source \
	gcc:compiler make:build flex:kconfig bison:kconfig bc:kbuild \
	libelf-dev:objtool perl:kbuild-and-checkpatch python3:kunit.py-and-gdb-scripts \
	xz-utils:unpacking-the-tarball git:the-patch-series-tree \
	libc6-dev:static-guest-programs busybox-static:the-guest-shell \
	ccache:fast-rebuilds gdb:make-gdb lcov:make-coverage \
	sparse:make-check coccinelle:make-check ocaml:coccinelle-scripts-written-in-ocaml \
	python3-jsonschema:checking-build/kcidb.json python3-rfc3987:checking-uris-in-build/kcidb.json \
	gnuplot-nox:the-growth-plot-of-make-bench-send

.PHONY: deps
deps:
	$(Q)installed=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(foreach d,$(DEPS),$(firstword $(subst :, ,$(d)))) \
		2>/dev/null | awk '/ ok installed$$/ { print $$1 }'); \
	missing=; for d in $(DEPS); do p=$${d%%:*}; \
		echo "$$installed" | grep -qx "$$p" || missing="$$missing $$p"; done; \
	[ -z "$$missing" ] && exit 0; \
	for d in $(DEPS); do case " $$missing " in *" $${d%%:*} "*) \
		echo "deps: installing $${d%%:*} (for $$(echo $${d#*:} | tr - ' '))";; esac; done; \
	if [ "$$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null; then sudo=sudo; \
	else echo "deps: error: missing packages:$$missing; run as root or install sudo" >&2; exit 1; fi; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null || \
	{ echo "deps: error: apt-get could not install:$$missing" >&2; exit 1; }
include linux/linux.mk
include tests/tests.mk
include tests/gdb/gdb.mk
include coverage/coverage.mk
include coverage/mutation/mutation.mk

.PHONY: help
help:
	@echo 'pidns-signal-lab targets:'
	@echo '  run          build if needed, boot build/linux, demonstrate the five rules, power off'
	@echo '  trace        the demo again, each experiment followed by the kernel'"'"'s traced decisions (RULE=1..5)'
	@echo '  test         build if needed, boot build/linux, run every suite, print a summary'
	@echo '               TESTS=<glob> runs the matching test programs only'
	@echo '  linux        (default) build build/linux from the pinned source + patch series'
	@echo '  shell        boot build/linux into an interactive busybox shell'
	@echo '  gdb          gdb on the kernel: SCENARIO=<name> stops in that rule'"'"'s helper, else boots a shell'
	@echo '  gdb-check    every gdb scenario, scripted (part of make test)'
	@echo '  gdb-attach   gdb on a guest started by make shell'
	@echo '  deps         install the Debian packages the lab needs'
	@echo '  linux-src    prepare build/src, a git tree with one commit per patch'
	@echo '  patches      export build/src commits back to linux/patches (git format-patch)'
	@echo '  checkpatch   scripts/checkpatch.pl --strict over the series'
	@echo '  check        sparse, W=1, kernel-doc, Coccinelle on the series'"'"' C files: only new findings fail'
	@echo '  kernel-version  print the pinned and the unpacked kernel source'
	@echo '  bench        boot, suite and rebuild times (BENCH_COLD=1: cold builds too)'
	@echo '  bench-rtt    signal round trip, patched against stock'
	@echo '  bench-send   kill(2) timed in the kernel: patched/stock, rfc2007/upstream, growth plot'
	@echo '  bench-insns  kill(2) in instructions, stepped by gdb: patched against stock, per function'
	@echo '  coverage     coverage kernel, report, table, gate (part of make test)'
	@echo '  test-debug   every guest suite on the sanitizer kernel (KASAN, lockdep, UBSAN): no report allowed'
	@echo '  stress       every rule at once under load, sanitizer kernel (STRESS_S=30 STRESS_DEPTH=32)'
	@echo '  mutation     break each rule on purpose, one mutant per boot: which test catches it'
	@echo '               RULE=1..5 for one rule'"'"'s mutants, MUTANT=<id> to replay one'
	@echo '  docs         regenerate docs/tests.md'
	@echo '  clean        remove build outputs (keeps the unpacked trees)'
	@echo '  distclean    remove build/ entirely'
	@echo 'Variables: V=1 (full commands), TESTS=<glob>, POLICY=upstream|rfc2007 (the policy'
	@echo '           run and shell boot with; for test, only that policy'"'"'s variants)'

.PHONY: clean distclean
clean:
	$(Q)rm -rf $(KBUILD) $(ROOTFS) $(BUILD)/test $(UML) $(BUILD)/kernel-cov $(BUILD)/linux-cov \
		$(BUILD)/kernel-debug $(BUILD)/linux-debug $(BUILD)/test-debug \
		$(BUILD)/coverage $(BUILD)/kernel-stock $(BUILD)/linux-stock $(BUILD)/stock \
		$(BUILD)/gdb $(BUILD)/host $(BUILD)/headers $(BUILD)/uml
	$(Q)[ ! -d $(BUILD)/mutation ] || find $(BUILD)/mutation -mindepth 1 -maxdepth 1 \
		! -name src ! -name worktree -exec rm -rf {} +
distclean:
	$(Q)rm -rf $(BUILD)

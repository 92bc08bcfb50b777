# tests/: the guest's root folder, the host runner, the suites.
#
#   tests/host/    runs on the host: runner (boot + watchdog), summary
#   tests/guest/   runs inside ./linux: init, lib (probes, policy
#                  fixture), conformance (one file per rule), demo

HOST_CC      := gcc -O2 -Wall -Wextra
# kselftest_harness.h has unused parameters and setjmp locals of its own.
GUEST_CC     := gcc -static -O2 -Wall -Wextra -Wno-unused-parameter -Wno-clobbered
HOSTBIN      := $(BUILD)/host
RUNNER       := $(HOSTBIN)/runner
SUMMARY      := $(HOSTBIN)/summary
KCIDB        := $(HOSTBIN)/kcidb
HARNESS_DIR  := $(SRC)/tools/testing/selftests
GUEST_LIB    := $(wildcard tests/guest/lib/*.c)
GUEST_LIB_H  := $(wildcard tests/guest/lib/*.h)

CONFORMANCE  := $(patsubst tests/guest/conformance/%.c,$(ROOTFS)/tests/conformance/%,\
		  $(wildcard tests/guest/conformance/*.c))
# Fault injection on the signal path: only the sanitizer kernel has
# FAILSLAB, so only make test-debug runs these.
FAULTS       := $(patsubst tests/guest/faults/%.c,$(ROOTFS)/tests/faults/%,\
		  $(wildcard tests/guest/faults/*.c))
# What the UML port must get right for the rest to mean anything (FP
# state across signals, preemption and ptrace).
UML_TESTS    := $(patsubst tests/guest/uml/%.c,$(ROOTFS)/tests/uml/%,$(wildcard tests/guest/uml/*.c))
# Upstream selftests (tests/guest/selftests.list).  UML cannot export UAPI
# headers (make ARCH=um headers refuses) and Debian's linux-libc-dev is
# older than the tree: take the headers from an x86_64 headers_install of
# the same tree.
SELFTEST_LIST := tests/guest/selftests.list
# Their own Makefiles' flags (-g -Wall -pthread), linked statically.
SELFTEST_CC  := gcc -static -g -O2 -Wall -pthread
SELFTEST_SRCS := $(shell sed -e 's/\#.*//' $(SELFTEST_LIST) | awk 'NF { print $$1 }')
SELFTESTS    := $(addprefix $(ROOTFS)/tests/selftests/,$(notdir $(SELFTEST_SRCS)))
UAPI         := $(BUILD)/headers/usr/include
# Every rule at once under load (make test's run is short; make stress).
STRESS       := $(ROOTFS)/tests/stress/stress
GUEST_TESTS  := $(UML_TESTS) $(CONFORMANCE) $(STRESS) $(SELFTESTS)
# KUnit suites built into the kernel (uml-configs/kunit.config); they run
# at boot when the command line says kunit.enable=1.
KUNIT_SUITES := kunit/signal_pidns
GUEST_PROGS  := $(ROOTFS)/init $(ROOTFS)/bin/pidns-demo $(ROOTFS)/bin/signal-rtt \
		$(ROOTFS)/bin/signal-send-bench $(GUEST_TESTS) $(FAULTS)

# pidfd_test's recycle loop forks until a pid comes round again in its
# namespace: a small pid_max ends it after 1024 forks instead of 32768,
# and it still tests that a recycled pid is not signalled: the pid it
# recycles is 1000 (PID_RECYCLE), so pid_max must stay above that.
TEST_KERNEL_ARGS := sysctl.kernel.pid_max=1024
# Per-program and whole-boot bounds, in seconds.
TEST_TIMEOUT ?= 120
BOOT_TIMEOUT ?= 900
UML_MEM      ?= 256M
UML_DIR      := $(BUILD)/uml
UML_ARGS      = mem=$(UML_MEM) root=/dev/root rootfstype=hostfs rootflags=$(ROOTFS) rw \
		console=tty0 quiet uml_dir=$(UML_DIR) init=/init

$(HOSTBIN)/%: tests/host/%.c
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(@D) && $(HOST_CC) $< -o $@

$(ROOTFS)/init: tests/guest/init/init.c
	@echo "  GUESTCC $@"
	$(Q)mkdir -p $(@D) && $(GUEST_CC) $< -o $@

$(ROOTFS)/bin/pidns-demo: tests/guest/demo/demo.c $(GUEST_LIB) $(GUEST_LIB_H)
$(ROOTFS)/bin/signal-rtt: tests/guest/bench/signal_rtt.c $(GUEST_LIB) $(GUEST_LIB_H)
$(ROOTFS)/bin/signal-send-bench: tests/guest/bench/signal_send.c $(GUEST_LIB) $(GUEST_LIB_H)
$(ROOTFS)/bin/pidns-demo $(ROOTFS)/bin/signal-rtt $(ROOTFS)/bin/signal-send-bench:
	@echo "  GUESTCC $@"
	$(Q)mkdir -p $(@D) && $(GUEST_CC) -Itests/guest/lib $< $(GUEST_LIB) -o $@ -lpthread

# The suites built on the probe library (conformance, faults); the
# others have rules of their own, which make prefers (a shorter stem).
$(ROOTFS)/tests/%: tests/guest/%.c $(GUEST_LIB) $(GUEST_LIB_H) $(SRC_STAMP)
	@echo "  GUESTCC $@"
	$(Q)mkdir -p $(@D) && $(GUEST_CC) -I$(HARNESS_DIR) -Itests/guest/lib $< $(GUEST_LIB) -o $@ -lpthread

$(STRESS): tests/guest/stress/stress.c
	@echo "  GUESTCC $@"
	$(Q)mkdir -p $(@D) && $(GUEST_CC) $< -o $@

$(ROOTFS)/tests/uml/%: tests/guest/uml/%.c $(SRC_STAMP)
	@echo "  GUESTCC $@"
	$(Q)mkdir -p $(@D) && $(GUEST_CC) -I$(HARNESS_DIR) $< -o $@ -lpthread

$(UAPI)/linux/pidfd.h: $(SRC_STAMP)
	@echo "  HEADERS $(BUILD)/headers (ARCH=x86_64 headers_install)"
	$(Q)$(MAKE) -s -C $(SRC) ARCH=x86_64 O=$(BUILD)/headers headers
	$(Q)touch $@	# headers_install leaves unchanged headers alone

# Each selftest, or a wrapper that passes the list's arguments to it.
$(ROOTFS)/tests/selftests/%: $(UAPI)/linux/pidfd.h $(SELFTEST_LIST)
	@echo "  GUESTCC $@"
	$(Q)mkdir -p $(@D)/bin && src=$$(awk '$$1 ~ /\/$*$$/ { print $$1 }' $(SELFTEST_LIST)); \
	args=$$(awk '$$1 ~ /\/$*$$/ { $$1 = ""; print }' $(SELFTEST_LIST) | sed 's/\#.*//'); \
	$(SELFTEST_CC) -I$(UAPI) -I$(HARNESS_DIR) $(HARNESS_DIR)/$$src.c -o $(@D)/bin/$*; \
	printf '#!/bin/sh\n# %s, from tools/testing/selftests\nexec /tests/selftests/bin/%s %s\n' \
		"$$src" "$*" "$$args" > $@ && chmod +x $@

# busybox-static and its applets, and the mount points init uses.
$(ROOTFS)/bin/busybox: | deps
	@echo "  ROOTFS  $(ROOTFS)"
	$(Q)mkdir -p $(ROOTFS)/bin $(addprefix $(ROOTFS)/,proc sys dev tmp results)
	$(Q)cp /bin/busybox $@.tmp && mv $@.tmp $@
	$(Q)for a in $$($@ --list); do [ -e $(ROOTFS)/bin/$$a ] || ln -s busybox $(ROOTFS)/bin/$$a; done

# A test that hangs for good (it reads the console): the host suite's
# check that init dumps a test at its time limit.
$(ROOTFS)/tests/hang/cat: | $(ROOTFS)/bin/busybox
	$(Q)mkdir -p $(@D) && ln -sf /bin/cat $@

.PHONY: rootfs
rootfs: $(ROOTFS)/bin/busybox $(GUEST_PROGS) $(ROOTFS)/tests/hang/cat

.PHONY: guest-tools
guest-tools: $(RUNNER) $(SUMMARY) $(KCIDB) rootfs

# Can this host run ./linux?  Every target that boots asks first, quietly,
# so that a host UML cannot run on fails with the reason, not a panic in
# the console log.
DOCTOR       := $(HOSTBIN)/doctor
.PHONY: doctor host-check
doctor: $(DOCTOR)
	$(Q)$(DOCTOR) -m $(UML_MEM)
host-check: $(DOCTOR)
	$(Q)$(DOCTOR) -q -m $(UML_MEM) || \
		{ echo "host-check: error: this host cannot run the lab's kernel (see above; make doctor)" >&2; exit 1; }

# The test programs TESTS selects (a glob on the name, e.g. 'rule1*' or
# 'conformance/*'), or an error if it selects none.
select_tests = sel=; for p in $(KUNIT_SUITES) $(patsubst $(ROOTFS)/tests/%,%,$(GUEST_TESTS)) $(HOST_CHECKS); do \
		case $$p in $(TESTS)|*/$(TESTS)) sel="$$sel $$p";; esac; done; \
	[ -n "$$sel" ] || { echo "test: error: TESTS='$(TESTS)' matches no test program; \
known: $(KUNIT_SUITES) $(notdir $(GUEST_TESTS)) $(HOST_CHECKS)" >&2; exit 2; }; \
	case "$$sel" in *kunit/*) sel_kunit=kunit.enable=1;; *) sel_kunit=;; esac; \
	guest_sel=$$(echo $$sel | tr ' ' '\n' | grep -v -e '^gdb/' -e '^host/' | tr '\n' ' ')

# A run's results: the lab's verdict on each program as one KTAP document
# (tests/host/summary.c), the same as a KCIDB v5.3 document, checked
# against the schema KernelCI applies (tests/host/kcidb/), and kunit.py
# parse's count of the KTAP, last (tests/host/count.sh).
# $(call kcidb_write,KTAP,KCIDB_JSON,BUILDS): BUILDS are
# linux/kcidb-facts.sh's; $$kcidb is 0 if the document is valid.
# $(call report_run,RESULTS,PROGRAMS,KTAP,KCIDB_JSON,BUILDS): the whole
# of it; $$reported is 0 if all passed and the document is valid.
KUNIT_PY     := $(SRC)/tools/testing/kunit/kunit.py
KCIDB_SCHEMA := tests/host/kcidb/kcidb.v5.3.schema.json
KCIDB_ORIGIN ?= pidns_signal_lab
ifneq ($(shell printf '%s' '$(KCIDB_ORIGIN)' | grep -Ex '[a-z0-9_]+'),$(KCIDB_ORIGIN))
  $(error KCIDB_ORIGIN=$(KCIDB_ORIGIN) is not a KCIDB origin: it must match ^[a-z0-9_]+$$)
endif
kcidb_write = sh linux/kcidb-facts.sh $(SRC) linux/patches $(3) > $(1:.ktap=.facts) && \
	$(KCIDB) $(KCIDB_ORIGIN) $(1:.ktap=.facts) $(1) > $(2) && \
	sh tests/host/kcidb-validate.sh $(KCIDB_SCHEMA) $(2) && \
	echo "  KCIDB   $(2:$(CURDIR)/%=%): $$(grep -c '"path"' $(2)) tests, valid as KCIDB v5.3"; kcidb=$$?
report_run = $(SUMMARY) -s tests/guest/expected-skips.list -o $(3) $(1) $(2); summarized=$$?; \
	[ $$summarized -lt 2 ] || exit 2; \
	$(call kcidb_write,$(3),$(4),$(5)); \
	sh tests/host/count.sh $(KUNIT_PY) $(3); reported=$$?; [ $$kcidb = 0 ] || reported=1; \
	[ $$summarized = 0 ] || [ $$reported != 0 ] || { reported=1; \
		echo "test: error: summary failed what kunit.py's count passed (see FAIL above): a bug of summary's KTAP" >&2; }

# The results make test counts, and $(call tap_verdict,NAME,CONDITION[,
# DIAGNOSTIC]): the verdict line of a host-side check in its summary.tap.
RESULTS     := $(BUILD)/test/results
comma       := ,
tap_verdict = if $(2); then v="ok 0 $(1)"; else v="not ok 0 $(1)$(3)"; fi; echo "$$v" >> $(RESULTS)/summary.tap

# $(call part_time,WHAT,T0): append "SECONDS WHAT" (since T0, a date +%s.%N)
# to build/test/parts: make test's breakdown, which make bench prints.
part_time = awk -v t0=$(2) -v t1=$$(date +%s.%N) 'BEGIN { printf "%.3f %s\n", t1 - t0, "$(1)" }' >> $(BUILD)/test/parts

# $(call take_lock,WHO): one make test or coverage at a time per checkout
# (they share build/test, build/coverage and the guests' results).  The
# lock lasts as long as the recipe's shell and what it starts; a nested
# run (make test's coverage) inherits it.  It is taken when the recipe
# starts, after the prerequisites: a second run still rebuilds what
# changed before it fails.
take_lock = [ -n "$$LAB_LOCK_HELD" ] || { exec 9>$(BUILD)/.run.lock; flock -n 9 || \
	{ echo "$(1): error: another make test or coverage is running in this checkout" >&2; \
	  exit 1; }; }; export LAB_LOCK_HELD=1

TESTS ?= *
# What make test runs on the host, beside the guest's programs, both
# during the test boot, each in guests of its own: the gdb scenarios (a
# boot each), and the lab's own tools on bad and made-up input (two of
# them boot short guests).
HOST_CHECKS := gdb/scenarios host/tooling
# tooling.sh runs the doctor under a seccomp filter that refuses ptrace.
test: $(HOSTBIN)/deny-ptrace
# A TESTS that selects nothing is an error before anything is built.
ifneq ($(filter test,$(MAKECMDGOALS)),)
ifeq ($(shell ( $(select_tests) ) >/dev/null 2>&1 && echo ok),)
  $(error test: error: TESTS='$(TESTS)' matches no test program; known: $(KUNIT_SUITES) $(notdir $(GUEST_TESTS)) $(HOST_CHECKS))
endif
endif
# POLICY on make test's command line runs only that policy's variants
# (not from the environment: an export meant for make run must not
# silently halve the tests).
TEST_POLICY = $(if $(filter command line,$(origin POLICY)),$(POLICY))
.PHONY: test
test: host-check kbuild guest-tools
	$(Q)$(call take_lock,test); $(select_tests); \
	id=$$(cut -c1-8 /proc/sys/kernel/random/uuid); results=$(ROOTFS)/results/test-$$id; \
	rm -rf $(BUILD)/test $(ROOTFS)/results/test-* && mkdir -p $$results $(BUILD)/test && \
	echo $$id > $(BUILD)/test/boot-id; t0=$$(date +%s.%N); \
	echo "  HOST    $$($(DOCTOR) -f)"; \
	echo "  BOOT    $(UML) (boot id $$id, build/kernel, policy $(or $(TEST_POLICY),per test))"; \
	tooling=; case "$$sel" in *host/tooling*) \
		{ KUNIT_PY=$(KUNIT_PY) sh tests/host/tooling.sh $(HOSTBIN) $(UML) $(UML_ARGS) > $(BUILD)/test/tooling.tap; \
		  $(call part_time,host/tooling: the lab tools on bad input (beside the test boot),$$t0); } 9>&- & \
		tooling=$$!;; esac; \
	gdb=; case "$$sel" in *gdb/scenarios*) \
		{ $(gdb_run); echo $$gdb_rc > $(BUILD)/test/gdb.rc; \
		  $(call part_time,gdb/scenarios: one boot under gdb (beside the test boot),$$t0); } 9>&- & gdb=$$!;; esac; \
	$(RUNNER) -q -t $(BOOT_TIMEOUT) -l $(BUILD)/test/console.log -- $(UML) $(UML_ARGS) \
		$(TEST_KERNEL_ARGS) $$sel_kunit umid=lab-test-$$id -- test $(TEST_TIMEOUT) \
		$(if $(TEST_POLICY),-p $(TEST_POLICY)) -o /results/test-$$id $$guest_sel; rc=$$?; \
	$(call part_time,test boot: KUnit and the suites in the guest,$$t0); \
	mv $$results $(RESULTS); \
	[ $$rc = 0 ] || echo "test: error: the guest ended badly (runner status $$rc); console: build/test/console.log" >&2; \
	t1=$$(date +%s.%N); if [ -n "$$gdb" ]; then wait $$gdb; gdb_rc=$$(cat $(BUILD)/test/gdb.rc); $(gdb_verdict); fi; \
	if [ -n "$$tooling" ]; then mkdir -p $(RESULTS)/host; wait $$tooling; \
		mv $(BUILD)/test/tooling.tap $(RESULTS)/host/tooling.tap; \
		$(call tap_verdict,host/tooling,grep -q '^1\.\.[1-9]' $(RESULTS)/host/tooling.tap && \
			! grep -q '^not ok' $(RESULTS)/host/tooling.tap); fi; \
	$(call tap_verdict,docs/tests,sh tests/list-tests.sh | cmp -s - docs/tests.md, # out of date: run make docs); \
	sel="$$sel docs/tests"; \
	$(call part_time,waiting for the checks beside the test boot,$$t1); \
	if [ "$(TESTS)" = "*" ]; then \
		t1=$$(date +%s.%N); $(call tap_verdict,linux/check,$(MAKE) -s check CHECK_KBUILD=); sel="$$sel linux/check"; \
		$(call part_time,linux/check: static checks of the series,$$t1); \
		mkdir -p $(RESULTS)/coverage; t1=$$(date +%s.%N); \
		$(call tap_verdict,coverage/gate,$(MAKE) -s coverage); \
		$(call part_time,coverage/gate: the coverage boots and the table,$$t1); \
		cp $(COV_OUT)/gate.tap $(RESULTS)/coverage/gate.tap 2>/dev/null; sel="$$sel coverage/gate"; \
	fi; \
	builds="main $(KBUILD) '$(notdir $(MAIN_FRAGMENTS))' '*'"; case "$$sel" in *coverage/gate*) \
		builds="$$builds coverage $(COV_KBUILD) '$(notdir $(MAIN_FRAGMENTS)) coverage.config' coverage/";; esac; \
	eval "set -- $$builds"; t1=$$(date +%s.%N); \
	$(call report_run,$(RESULTS),$$sel,$(BUILD)/test/results.ktap,$(BUILD)/kcidb.json,"$$@"); \
	$(call part_time,results: summary and KTAP and kunit.py parse and KCIDB,$$t1); \
	[ $$reported = 0 ] && [ $$rc = 0 ]

# The interactive targets boot the same kernel with POLICY selected.
POLICY_ARG = sysctl.kernel.pid_ns_signal_policy=$(POLICY_VALUE_$(POLICY))

# $(call guest_run,NAME,KERNEL_ARGS,PROGRAM...): boot GUEST_RUN_UML to run
# one program, its output on the terminal (and in GUEST_RUN_LOG if set);
# fail if it failed in the guest or ran past GUEST_RUN_TIMEOUT seconds.
GUEST_RUN_TIMEOUT = 120
GUEST_RUN_UML     = $(UML)
GUEST_RUN_LOG     =
guest_run = d=$(1)-$$$$; mkdir -p $(ROOTFS)/results/$$d; \
	$(RUNNER) -t $(GUEST_RUN_TIMEOUT) $(if $(GUEST_RUN_LOG),-l $(GUEST_RUN_LOG)) -- $(GUEST_RUN_UML) $(UML_ARGS) $(2) umid=lab-$$d -- run -o /results/$$d $(3); rc=$$?; \
	grep -qx pass $(ROOTFS)/results/$$d/status 2>/dev/null; st=$$?; rm -rf $(ROOTFS)/results/$$d; \
	[ $$rc = 0 ] || { echo "$(1): error: the guest ended badly (runner status $$rc)" >&2; exit 1; }; \
	[ $$st = 0 ] || { echo "$(1): error: '$(strip $(3))' failed in the guest (see above)" >&2; exit 1; }

.PHONY: run
run: host-check kbuild guest-tools
	@echo "  BOOT    $(UML) (build/kernel, policy $(POLICY) at boot; the demo shows each policy)"
	$(Q)$(call guest_run,run,$(POLICY_ARG),/bin/pidns-demo)

# The demo's experiments again, each followed by the kernel's decisions
# as the signal:signal_pidns trace event reported them; RULE=n for one
# (and make mutation's RULE=n, one rule's mutants).
RULE ?=
ifneq ($(filter trace mutation,$(MAKECMDGOALS)),)
ifneq ($(filter-out 1 2 3 4 5,$(RULE))$(word 2,$(RULE)),)
  $(error RULE=$(RULE) is not a rule: give 1 to 5)
endif
endif
.PHONY: trace
trace: host-check kbuild guest-tools
	@echo "  BOOT    $(UML) (build/kernel; each experiment under each policy, traced)"
	$(Q)$(call guest_run,trace,,/bin/pidns-demo -t $(RULE))

# The sanitizer kernel (uml-configs/sanitizers.config: KASAN, lockdep,
# UBSAN, fault injection), build/kernel-debug; only make test-debug and
# make stress boot it.
DEBUG_KBUILD := $(BUILD)/kernel-debug
DEBUG_UML    := $(BUILD)/linux-debug
.PHONY: debug-kbuild
debug-kbuild:
	$(Q)$(MAKE) -s kbuild KBUILD=$(DEBUG_KBUILD) UML=$(DEBUG_UML) \
		FRAGMENTS="$(MAIN_FRAGMENTS) uml-configs/sanitizers.config"

# make test-debug: every guest suite (the short stress run with them) on
# the sanitizer kernel.  Any KASAN, lockdep, RCU, UBSAN, atomic-sleep or
# WARN report in its console fails it, named with the test that was
# running (tests/host/sanitizer-reports.sh).  Then a boot that provokes
# a use-after-free, an out-of-bounds index and a WARN through LKDTM must
# show each report: a scanner that finds nothing proves nothing until it
# has found something.  The console log level lets warnings through
# (lockdep reports at KERN_WARNING).
DEBUG_RESULTS := $(BUILD)/test-debug
DEBUG_TESTS   := $(KUNIT_SUITES) $(patsubst $(ROOTFS)/tests/%,%,$(GUEST_TESTS) $(FAULTS))
# slab_nomerge: failslab can be set on the sigqueue cache only if it is
# no alias of another.
DEBUG_ARGS    := $(TEST_KERNEL_ARGS) loglevel=5 slab_nomerge
DEBUG_BUILDS  := debug $(DEBUG_KBUILD) '$(notdir $(MAIN_FRAGMENTS)) sanitizers.config' '*'
LKDTM_BITES   := READ_AFTER_FREE:KASAN ARRAY_BOUNDS:UBSAN WARNING:WARNING
# $(call scan_reports,LOG): print LOG's sanitizer reports; $$reports is 0
# if there are none.
scan_reports = sh tests/host/sanitizer-reports.sh $(1); reports=$$?; \
	[ $$reports = 0 ] && echo "  REPORTS none in $(1)"
.PHONY: test-debug
$(ROOTFS)/tests/debug/lkdtm-bite: tests/guest/debug/lkdtm-bite.sh
	$(Q)mkdir -p $(@D) && cp $< $@ && chmod +x $@

test-debug: host-check debug-kbuild guest-tools $(ROOTFS)/tests/debug/lkdtm-bite
	$(Q)$(call take_lock,test-debug); \
	id=$$(cut -c1-8 /proc/sys/kernel/random/uuid); results=$(ROOTFS)/results/debug-$$id; \
	rm -rf $(DEBUG_RESULTS) && mkdir -p $$results $(DEBUG_RESULTS); \
	echo "  BOOT    $(DEBUG_UML) (build/kernel-debug: KASAN, lockdep, UBSAN; boot id $$id)"; \
	$(RUNNER) -q -t $(BOOT_TIMEOUT) -l $(DEBUG_RESULTS)/console.log -- $(DEBUG_UML) $(UML_ARGS) \
		$(DEBUG_ARGS) kunit.enable=1 umid=lab-test-debug-$$id -- test $(TEST_TIMEOUT) \
		-o /results/debug-$$id $(DEBUG_TESTS); rc=$$?; \
	mv $$results $(DEBUG_RESULTS)/results; \
	[ $$rc = 0 ] || echo "test-debug: error: the guest ended badly (runner status $$rc)" >&2; \
	$(call scan_reports,$(DEBUG_RESULTS)/console.log); \
	echo "  BITE    $(DEBUG_UML): LKDTM $(foreach b,$(LKDTM_BITES),$(firstword $(subst :, ,$(b))))"; \
	$(RUNNER) -q -t 120 -l $(DEBUG_RESULTS)/bite.log -- $(DEBUG_UML) $(UML_ARGS) $(DEBUG_ARGS) \
		umid=lab-test-debug-bite-$$id -- run /tests/debug/lkdtm-bite \
		$(foreach b,$(LKDTM_BITES),$(firstword $(subst :, ,$(b)))) >/dev/null; \
	bites=0; sh tests/host/sanitizer-reports.sh $(DEBUG_RESULTS)/bite.log > $(DEBUG_RESULTS)/bite.reports; \
	for b in $(LKDTM_BITES); do grep -q "^    .*$${b#*:}" $(DEBUG_RESULTS)/bite.reports || \
		{ echo "test-debug: error: LKDTM $${b%%:*} left no $${b#*:} report: $(DEBUG_RESULTS)/bite.log" >&2; \
		  bites=1; }; done; \
	[ $$bites = 0 ] && echo "  BITE    each provoked bug reported ($(DEBUG_RESULTS)/bite.reports)"; \
	$(call report_run,$(DEBUG_RESULTS)/results,$(DEBUG_TESTS),$(DEBUG_RESULTS)/results.ktap,$(DEBUG_RESULTS)/kcidb.json,$(DEBUG_BUILDS)); \
		[ $$reported = 0 ] && [ $$rc = 0 ] && [ $$reports = 0 ] && [ $$bites = 0 ]

# The stress run, longer (STRESS_S seconds, STRESS_DEPTH nested
# namespaces), on the sanitizer kernel: a report in its console fails it
# as make test-debug's do.  Its time bound: the run, its drain (10 s at
# most), the teardown and a sanitizer kernel's boot.
STRESS_S     ?= 30
STRESS_DEPTH ?= 32
STRESS_LOG   := $(BUILD)/stress/console.log
stress: GUEST_RUN_TIMEOUT = $(shell echo $$(( $(STRESS_S) + 120 )))
stress: GUEST_RUN_UML = $(DEBUG_UML)
stress: GUEST_RUN_LOG = $(STRESS_LOG)
.PHONY: stress
stress: host-check debug-kbuild guest-tools
	@echo "  BOOT    $(DEBUG_UML) (build/kernel-debug; stress for $(STRESS_S) s, $(STRESS_DEPTH) nested namespaces)"
	$(Q)mkdir -p $(dir $(STRESS_LOG)); \
	( $(call guest_run,stress,$(DEBUG_ARGS),/tests/stress/stress $(STRESS_S) $(STRESS_DEPTH)) ); rc=$$?; \
	$(call scan_reports,$(STRESS_LOG)); \
	[ $$rc = 0 ] && [ $$reports = 0 ]

.PHONY: shell
shell: host-check kbuild guest-tools
	@echo "  BOOT    $(UML) (build/kernel, policy $(POLICY), umid lab-shell); Ctrl-D or poweroff to leave"
	$(Q)$(RUNNER) -i -- $(UML) $(UML_ARGS) $(POLICY_ARG) umid=lab-shell -- shell

# The stock kernel, for the benchmarks: the same series without the
# signal patches (the leading UML port fixes, gdb helper and benchmark
# kept), the same config less the signal patches' KUnit option.  A git
# worktree of build/src.
STOCK_SRC    := $(BUILD)/src-stock
STOCK_STAMP  := $(BUILD)/stock/worktree
STOCK_KUNIT  := build/stock/kunit.config

ifeq ($(origin SRC_STAMP),file)
$(STOCK_STAMP): $(SRC_STAMP)
	$(Q)base=$$(git -C $(SRC) log --reverse --format='%H %s' lab-base..HEAD | \
		awk '$$2 == "signal:" { print $$1; exit }'); \
	echo "  STOCK   $(STOCK_SRC): the series up to $$(git -C $(SRC) log -1 --format=%s $$base^)"; \
	$(call src_worktree,$(STOCK_SRC),$$base^) && touch $@
endif

$(STOCK_KUNIT): uml-configs/kunit.config
	$(Q)mkdir -p $(@D) && grep -v SIGNAL_PIDNS $< > $@

.PHONY: stock-kbuild
stock-kbuild: $(STOCK_STAMP) $(STOCK_KUNIT)
	$(Q)$(MAKE) -s kbuild SRC=$(STOCK_SRC) SRC_STAMP=$(STOCK_STAMP) KBUILD=$(BUILD)/kernel-stock \
		UML=$(BUILD)/linux-stock FRAGMENTS="$(filter-out uml-configs/kunit.config,$(MAIN_FRAGMENTS)) $(STOCK_KUNIT)"

# The signal round trip, patched (policy upstream, tracing off) against
# stock, alternating boots.
RTT_BOOTS ?= 10
.PHONY: bench-rtt
bench-rtt: host-check kbuild stock-kbuild guest-tools
	$(Q)sh tests/host/bench-rtt.sh $(RTT_BOOTS) $(RUNNER) $(UML) $(BUILD)/linux-stock $(UML_ARGS)

# kill(2)'s path timed in the kernel (lib/signal_send_bench.c): patched
# against stock in alternating boots, rfc2007 against upstream in
# alternating blocks of each patched boot; the table, build/bench/
# results.json and the growth plot (tests/host/bench-send.sh).
# kill(-1) over 5000 processes needs mem=1G: every guest process is a
# host process with its own pages.
SEND_BOOTS  ?= 10
SEND_BLOCKS ?= 30
.PHONY: bench-send
bench-send: UML_MEM := 1G
bench-send: host-check kbuild stock-kbuild guest-tools $(HOSTBIN)/bench-ratio
	$(Q)sh tests/host/bench-send.sh $(SEND_BOOTS) $(SEND_BLOCKS) $(BUILD)/bench $(HOSTBIN) \
		$(UML) $(BUILD)/linux-stock $(UML_ARGS)

# The same sends counted in instructions: gdb steps through two of each
# case and policy on either kernel (tests/host/bench-insns.sh).
.PHONY: bench-insns
bench-insns: host-check kbuild stock-kbuild guest-tools
	$(Q)sh tests/host/bench-insns.sh $(BUILD)/bench $(RUNNER) $(KBUILD)/vmlinux \
		$(BUILD)/kernel-stock/vmlinux $(UML_ARGS) time-travel=inf-cpu umid=lab-bench-insns

# $(call bench_time,WHAT,COMMAND): print how long COMMAND took, or fail
# naming WHAT: a failed step must not read as a fast one.
bench_time = t0=$$(date +%s.%N); ( $(2) ) >$(BUILD)/bench.log 2>&1 || \
	{ echo "bench: error: $(1) failed; see $(BUILD)/bench.log" >&2; exit 1; }; \
	printf '  %-52s %8.3f s\n' "$(1)" "$$(echo "$$(date +%s.%N) - $$t0" | bc)"

# Speed, as figures: boot, suites, incremental builds, the coverage loop;
# BENCH_COLD=1 adds the cold builds (several minutes).
COV_BENCH := $(BUILD)/kernel-cov-bench
.PHONY: bench
bench: host-check kbuild guest-tools
	$(Q)sh tests/host/bench.sh $(SRC) $(KBUILD) $(UML) $(RUNNER) $(UML_ARGS)
	$(Q)$(call bench_time,conformance suites alone (make test TESTS=rule*),$(MAKE) -s test TESTS='rule*')
	$(Q)$(call bench_time,make test (all suites + gdb-check + coverage),$(MAKE) -s test)
	$(Q)awk '{ t = $$1; sub(/^[^ ]+ /, ""); printf "    %-50s %8.3f s\n", $$0, t }' $(BUILD)/test/parts
	$(Q)$(call bench_time,coverage kernel: rebuild after touching signal.c,\
		touch $(SRC)/kernel/signal.c && $(MAKE) -s cov-kbuild)
	$(Q)$(call bench_time,touch kernel/signal.c -> fresh coverage table,\
		touch $(SRC)/kernel/signal.c && $(MAKE) -s coverage)
	$(Q)printf '  %-52s %s\n' "make mutation, the last run" \
		"$$(sed 's/^  TIME    //' $(BUILD)/mutation/time.txt 2>/dev/null || echo 'not run yet: make mutation')"
ifeq ($(BENCH_COLD),1)
	$(Q)rm -rf $(COV_BENCH); $(call bench_time,coverage kernel: cold build (no-ccache),\
		CCACHE_DISABLE=1 $(MAKE) -s cov-kbuild COV_KBUILD=$(COV_BENCH) COV_UML=$(COV_BENCH)/uml); \
	rm -rf $(COV_BENCH)
endif

# docs/tests.md: the tests per rule, generated so that it cannot drift.
.PHONY: docs
docs:
	$(Q)sh tests/list-tests.sh > docs/tests.md
	@echo "  DOCS    docs/tests.md"

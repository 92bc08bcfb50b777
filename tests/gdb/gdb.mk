# tests/gdb/: stepping through the signal path of the running kernel.
#
# Each scenario is a gdb script that boots build/kernel/vmlinux with one
# experiment of pidns-demo, breaks in the helper that decides its rule and
# checks what gdb sees there.  `make gdb-check` runs them all in one gdb
# session; `make gdb SCENARIO=x` stops in scenario x's helper and leaves
# you at the gdb prompt.

GDB_SCENARIOS := $(basename $(notdir $(filter-out tests/gdb/lab.gdb,$(wildcard tests/gdb/*.gdb))))
GDB_DIR       := $(BUILD)/gdb
GDB_ENV       := $(GDB_DIR)/env.gdb
# time-travel=inf-cpu: time stands still while gdb holds the kernel, so
# `next` does not wander into the timer's SIGALRM handler.
GDB_UML_ARGS   = $(UML_ARGS) time-travel=inf-cpu umid=lab-gdb
GDB            = gdb -nx -q -iex "add-auto-load-safe-path $(BUILD)" -x $(GDB_ENV) -x tests/gdb/lab.gdb

$(GDB_ENV): tests/gdb/gdb.mk tests/tests.mk Makefile
	$(Q)mkdir -p $(@D)
	$(Q)printf 'set $$lab_args = "%s"\n' "$(GDB_UML_ARGS)" > $@

SCENARIO ?=
ifneq ($(filter gdb,$(MAKECMDGOALS)),)
ifneq ($(SCENARIO),)
ifeq ($(filter $(SCENARIO),$(GDB_SCENARIOS)),)
  $(error no scenario '$(SCENARIO)'; known: $(GDB_SCENARIOS))
endif
endif
endif
.PHONY: gdb
gdb: host-check kbuild guest-tools $(GDB_ENV)
ifeq ($(SCENARIO),)
	$(Q)printf 'eval "set args %%s -- shell", $$lab_args\necho type run to boot; scenarios: pidns-demo 1..5 in the guest shell\\n\n' > $(GDB_DIR)/start.gdb
else
	$(Q)s=tests/gdb/$(SCENARIO).gdb; { grep -m1 '^eval "set args' $$s; grep -m1 '^break ' $$s; echo run; } > $(GDB_DIR)/start.gdb
endif
	@echo "  GDB     build/kernel/vmlinux $(if $(SCENARIO),scenario $(SCENARIO),shell)"
	$(Q)$(GDB) -x $(GDB_DIR)/start.gdb $(KBUILD)/vmlinux; stty sane 2>/dev/null || true

# Attach to a guest started by `make shell` (umid lab-shell).
.PHONY: gdb-attach
gdb-attach: $(GDB_ENV)
	$(Q)pid=$$(cat $(UML_DIR)/lab-shell/pid 2>/dev/null) && kill -0 $$pid 2>/dev/null || \
		{ echo "gdb-attach: error: no guest with umid lab-shell is running: start one with make shell" >&2; exit 2; }; \
	$(GDB) -p $$pid $(KBUILD)/vmlinux

# One gdb session, every scenario, TAP into the test results.  gdb runs
# under the runner: in its own session (a guest panic signals its whole
# process group), with a time limit, leaving no process behind.
GDB_CHECK_TIMEOUT ?= 300
GDB_SCRIPTS := $(addprefix tests/gdb/,$(addsuffix .gdb,$(GDB_SCENARIOS)))
# The check in two halves, so that make test can run the session beside
# its test boot: gdb_run (the session; $$gdb_rc its status), then
# gdb_verdict (TAP into build/test/results/gdb, a verdict line in
# summary.tap).  make test's prerequisites are these.
gdb_run = echo "  GDB     build/kernel/vmlinux: $(GDB_SCENARIOS)"; \
	$(RUNNER) -q -t $(GDB_CHECK_TIMEOUT) -l $(GDB_DIR)/check.log -- $$(command -v gdb) \
		-batch $(filter-out gdb,$(GDB)) $(addprefix -x ,$(GDB_SCRIPTS)) $(KBUILD)/vmlinux; gdb_rc=$$?
gdb_verdict = mkdir -p $(RESULTS)/gdb; \
	sh tests/gdb/check.sh $(GDB_DIR)/check.log $(GDB_SCRIPTS) > $(RESULTS)/gdb/scenarios.tap; \
	$(call tap_verdict,gdb/scenarios,[ $$gdb_rc = 0 ] && ! grep -q '^not ok' $(RESULTS)/gdb/scenarios.tap,\
		 \# gdb status $$gdb_rc$(comma) log build/gdb/check.log)

# make test runs the check too (its recipe calls gdb_run and gdb_verdict).
test: $(GDB_ENV)

.PHONY: gdb-check
gdb-check: host-check kbuild guest-tools $(GDB_ENV)
	$(Q)$(gdb_run); $(gdb_verdict)

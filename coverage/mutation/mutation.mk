# coverage/mutation/: would a test notice if a rule broke?
#
# make mutation breaks the code coverage/rules.list gates, one small change
# at a time (schemata.c says which changes), and shows which test catches
# each.  Every mutant is compiled into one scratch kernel, build/mutation/
# linux, from a git worktree of build/src; a boot parameter selects one,
# so one build serves them all and build/src and build/kernel are never
# touched.  RULE=n runs one rule's mutants, MUTANT=<id> replays one.
# Its results are also a KTAP document, a case per mutant, and as KCIDB
# (build/mutation/kcidb.json; docs/results.md).

MUT_DIR      := $(BUILD)/mutation
MUT_SRC      := $(MUT_DIR)/src
MUT_STAMP    := $(MUT_DIR)/worktree
MUT_KBUILD   := $(MUT_DIR)/kernel
MUT_UML      := $(MUT_DIR)/linux
MUT_GEN      := $(MUT_DIR)/gen
SCHEMATA     := $(HOSTBIN)/schemata
MUT_REPORT   := $(HOSTBIN)/mutation-report
EQUIVALENTS  := coverage/equivalent-mutants.list
# Guests at once (2 cores: two guests keep both busy), and each boot's bound.
MUT_JOBS     ?= 2
MUT_BOUND    ?= 90
MUTANT       ?=
# Its KCIDB document's one build: the scratch kernel every mutant is in.
MUT_BUILDS   := mutation $(MUT_KBUILD) '$(notdir $(MAIN_FRAGMENTS)) (every mutant, one a boot)' '*'

$(SCHEMATA): coverage/mutation/schemata.c coverage/rules-list.h coverage/fatal.h
$(MUT_REPORT): coverage/mutation/report.c coverage/fatal.h
$(SCHEMATA) $(MUT_REPORT):
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(@D) && $(HOST_CC) $< -o $@

# make test's host checks run both on made-up input.
test: $(SCHEMATA) $(MUT_REPORT)

ifeq ($(origin SRC_STAMP),file)
$(MUT_STAMP): $(SRC_STAMP)
	$(Q)$(call src_worktree,$(MUT_SRC),HEAD) && touch $@
endif

.PHONY: mutation
mutation: host-check kbuild guest-tools $(SCHEMATA) $(MUT_REPORT) $(MUT_STAMP)
	$(Q)exec 8>$(MUT_DIR)/.lock; flock -n 8 || \
		{ echo "mutation: error: another make mutation is running in this checkout" >&2; exit 1; }; \
	git -C $(MUT_SRC) checkout -q --detach $$(git -C $(SRC) rev-parse HEAD) -- 2>/dev/null || \
		git -C $(MUT_SRC) checkout -q -f --detach $$(git -C $(SRC) rev-parse HEAD) || exit 1; \
	[ -z "$$(git -C $(SRC) status --porcelain --untracked-files=no)" ] || \
		echo "mutation: warning: build/src has uncommitted changes: only those in the files mutated reach the mutant kernel" >&2; \
	echo "  SCHEMA  $(MUT_UML) (every mutant of coverage/rules.list in one kernel)"; \
	sh coverage/mutation/build-schema.sh $(SCHEMATA) $(SRC) coverage/rules.list $(MUT_SRC) \
		$(MUT_GEN) $(MUT_DIR)/not-compiled -- \
		$(MAKE) -s kbuild SRC=$(MUT_SRC) SRC_STAMP=$(MUT_STAMP) KBUILD=$(MUT_KBUILD) UML=$(MUT_UML) \
		|| exit 1; \
	sel=$$(awk -v r='$(RULE)' -v m='$(MUTANT)' 'FILENAME != ARGV[2] { skip[$$1] = 1; next } \
		(r == "" || $$3 == r) && (m == "" || $$2 == m) && !skip[$$2] { print $$1 }' \
		$(MUT_DIR)/not-compiled $(MUT_GEN)/mutants.list); \
	[ -n "$$sel" ] || { echo "mutation: error: no mutant is $(or $(MUTANT),of rule $(RULE)); \
ids: $(MUT_GEN)/mutants.list" >&2; exit 2; }; \
	$(if $(MUTANT),[ ! -e $(MUT_DIR)/outcomes ] || { awk -F'\t' -v id='$(MUTANT)' '$$1 != id' \
		$(MUT_DIR)/outcomes > $(MUT_DIR)/outcomes.new; mv $(MUT_DIR)/outcomes.new $(MUT_DIR)/outcomes; };) \
	equiv=$$(awk '!/^#/ && NF { print $$1 }' $(EQUIVALENTS)); \
	sel=$$(for n in $$sel; do id=$$(awk -v n=$$n '$$1 == n { print $$2 }' $(MUT_GEN)/mutants.list); \
		echo "$$equiv" | grep -qxF "$$id" || echo $$n; done); \
	echo "  MUTATE  $$(echo $$sel | wc -w) mutants, $(MUT_JOBS) guests at once, $(MUT_BOUND) s each at most"; \
	MUT_FULL=$(if $(RULE)$(MUTANT),0,1) sh coverage/mutation/run-mutants.sh $(RUNNER) $(MUT_UML) $(ROOTFS) $(MUT_GEN) $(MUT_DIR) \
		$(MUT_JOBS) $(MUT_BOUND) "$$sel" "$(COV_CONFORMANCE)" -- $(UML_ARGS) $(TEST_KERNEL_ARGS) \
		|| exit $$?; \
	$(MUT_REPORT) $(if $(RULE),-r $(RULE)) $(if $(MUTANT),-m $(MUTANT)) -k $(MUT_DIR)/results.ktap \
		$(MUT_GEN) $(MUT_DIR)/outcomes $(MUT_DIR)/not-compiled $(EQUIVALENTS) $(MUT_DIR)/report.json; \
	rc=$$?; [ $$rc = 2 ] && exit 2; \
	$(call kcidb_write,$(MUT_DIR)/results.ktap,$(MUT_DIR)/kcidb.json,$(MUT_BUILDS)); \
	[ $$rc = 0 ] && [ $$kcidb = 0 ]

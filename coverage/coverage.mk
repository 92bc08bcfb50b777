# coverage/: branch coverage of the code that decides each rule.
#
# The coverage kernel (build/kernel-cov, uml-configs/coverage.config) is
# built with UML's CONFIG_GCOV: every object file is compiled with
# -fprofile-arcs and libgcov writes .gcda files when the UML process exits
# (linux/patches/0001 and 0002 make that work with GCC 12).  No other
# target boots it.

COV_KBUILD := $(BUILD)/kernel-cov
COV_UML    := $(BUILD)/linux-cov
COV_OUT    := $(BUILD)/coverage
GATE       := $(HOSTBIN)/gate
# The object files the report reads (and the only ones gcov is run on),
# and their sources: the headers inlined into them are left out.
COV_OBJS   := kernel/signal fs/fcntl
COV_INCLUDE := $(foreach o,$(COV_OBJS),--include $(SRC)/$(o).c)
LCOV       := lcov --quiet --rc lcov_branch_coverage=1
# Without early inlining, small static functions keep their own entries.
COV_KCFLAGS := KCFLAGS=-fno-early-inlining

$(GATE): coverage/gate.c coverage/rules-list.h coverage/fatal.h
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(@D) && $(HOST_CC) $< -o $@

# make test's host checks run the gate on made-up input.
test: $(GATE)

.PHONY: cov-kbuild
cov-kbuild:
	$(Q)$(MAKE) -s kbuild KBUILD=$(COV_KBUILD) UML=$(COV_UML) \
		FRAGMENTS="$(MAIN_FRAGMENTS) uml-configs/coverage.config" KBUILD_EXTRA=$(COV_KCFLAGS)

# The captures, one boot of the coverage kernel each: what the boot runs,
# a function that must have run in it (else the data is empty or stale)
# and one that must not have (else the boot ran the other policy's tests).
# KUnit calls the helpers directly, so only the user-space suites feed the
# gate; they boot once per policy, so that the report can show what each
# policy's tests reach.
COV_CONFORMANCE  := $(patsubst $(ROOTFS)/tests/%,%,$(CONFORMANCE))
COV_CAPTURES     := kunit upstream rfc2007
COV_RUN_kunit    := kunit.enable=1 -- test $(TEST_TIMEOUT) -o /results/cov-kunit kunit/signal_pidns
COV_RUN_upstream := -- test $(TEST_TIMEOUT) -o /results/cov-upstream -p upstream $(COV_CONFORMANCE)
COV_RUN_rfc2007  := -- test $(TEST_TIMEOUT) -o /results/cov-rfc2007 -p rfc2007 $(COV_CONFORMANCE)
COV_CALLED_kunit     := cinit_ignores_signal
COV_CALLED_upstream  := masquerade_sender
COV_UNCALLED_upstream := masquerade_sender_as_kernel
COV_CALLED_rfc2007   := masquerade_sender_as_kernel
COV_UNCALLED_rfc2007 := masquerade_sender
COV_INFOS        := $(COV_CAPTURES:%=$(COV_OUT)/%.info)

# One capture: a boot from no data; then the boot's tests must have
# passed, the files the report reads must have been written, and the
# witnesses must agree.  libgcov writes each .gcda at the object's
# (real) path with GCOV_PREFIX_STRIP leading components replaced by
# GCOV_PREFIX: every boot writes into a folder of its own, so the boots
# run at once and none inherits another's counts.  lcov reads the two
# objects of COV_OBJS only.
.PHONY: $(COV_INFOS)
$(COV_INFOS): $(COV_OUT)/%.info:
	$(Q)rm -rf $(COV_OUT)/$* $@ $(ROOTFS)/results/cov-$*; mkdir -p $(COV_OUT)/$*/gcda; \
	echo "  COVBOOT $(COV_UML) ($*)"; \
	GCOV_PREFIX=$(COV_OUT)/$*/gcda GCOV_PREFIX_STRIP=$$(realpath $(COV_KBUILD) | tr -cd / | wc -c) \
	$(RUNNER) -q -t $(BOOT_TIMEOUT) -l $(COV_OUT)/$*.console -- $(COV_UML) $(UML_ARGS) \
		umid=lab-cov-$*-$$$$ $(COV_RUN_$*) || \
		{ echo "coverage: error: the $* boot failed: $(COV_OUT)/$*.console" >&2; exit 1; }; \
	grep -qx pass $(ROOTFS)/results/cov-$*/status || \
		{ echo "coverage: error: tests failed in the $* boot: $(COV_OUT)/$*.console" >&2; exit 1; }; \
	for o in $(COV_OBJS); do \
		[ -s $(COV_OUT)/$*/gcda/$$o.gcda ] || \
		{ echo "coverage: error: the $* boot wrote no $$o.gcda (did UML exit cleanly?)" >&2; exit 1; }; \
		cp $(COV_KBUILD)/$$o.gcno $(COV_OUT)/$*/gcda/$$o.gcda $(COV_OUT)/$*/; \
	done; \
	rm -rf $(COV_OUT)/$*/gcda $(ROOTFS)/results/cov-$*; \
	$(LCOV) --capture --test-name $* --directory $(COV_OUT)/$* $(COV_INCLUDE) --output-file $@ \
		2>$(COV_OUT)/$*.lcov.log || \
		{ echo "coverage: error: lcov failed on the $* data: $(COV_OUT)/$*.lcov.log" >&2; exit 1; }; \
	grep -q '^FNDA:[1-9][0-9]*,$(COV_CALLED_$*)$$' $@ || \
		{ echo "coverage: error: the $* data has no call of $(COV_CALLED_$*): empty or stale" >&2; \
		  rm -f $@; exit 1; }; \
	! grep -q '^FNDA:[1-9][0-9]*,$(or $(COV_UNCALLED_$*),-)$$' $@ || \
		{ echo "coverage: error: the $* boot called $(COV_UNCALLED_$*): another policy's tests ran" >&2; \
		  rm -f $@; exit 1; }

GENHTML := genhtml --quiet --branch-coverage --rc lcov_branch_coverage=1 --show-details

# The gated capture, user.info, is both policies' user-space suites, each
# kept under its own test name so that the report tells them apart.
.PHONY: coverage
coverage: host-check cov-kbuild guest-tools $(GATE)
	$(Q)$(call take_lock,coverage); \
	rm -rf $(COV_OUT)/gate.tap $(COV_OUT)/summary.json $(COV_OUT)/user.info $(COV_OUT)/html*; \
	pids=; for c in $(COV_INFOS); do $(MAKE) -s $$c & pids="$$pids $$!"; done; \
	rc=0; for p in $$pids; do wait $$p || rc=1; done; [ $$rc = 0 ] || exit 1; \
	$(LCOV) --add-tracefile $(COV_OUT)/upstream.info --add-tracefile $(COV_OUT)/rfc2007.info \
		--output-file $(COV_OUT)/user.info 2>$(COV_OUT)/user.lcov.log || \
		{ echo "coverage: error: lcov could not add the captures: $(COV_OUT)/user.lcov.log" >&2; exit 1; }; \
	$(GENHTML) --title "user-space suites" -o $(COV_OUT)/html $(COV_OUT)/user.info >/dev/null & \
	html=$$!; $(GENHTML) --title "KUnit" -o $(COV_OUT)/html-kunit $(COV_OUT)/kunit.info >/dev/null; \
	rc=$$?; wait $$html && [ $$rc = 0 ] || exit 1; \
	echo "  REPORT  $(COV_OUT)/html/index.html (KUnit: html-kunit/), $(COV_OUT)/summary.json"; \
	$(GATE) $(SRC) coverage/rules.list coverage/exclusions.list $(COV_OUT) \
		$(COV_OUT)/user.info $(COV_OUT)/upstream.info $(COV_OUT)/rfc2007.info $(COV_OUT)/kunit.info

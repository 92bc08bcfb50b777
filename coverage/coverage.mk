# coverage/: branch coverage of the code that decides each rule.
#
# The coverage kernel (build/kernel-cov, uml-configs/coverage.config) is
# built with UML's CONFIG_GCOV: every object file is compiled with
# -fprofile-arcs and libgcov writes .gcda files when the UML process exits
# (linux/patches/0001 and 0002 make that work with GCC 12).  No other
# target boots it.  Two boots make two captures: KUnit alone (it calls the
# helpers directly, so it must not hide an untested user path), and the
# lab's user-space suites (the conformance tests), which alone feed the
# gate.

COV_KBUILD := $(BUILD)/kernel-cov
COV_UML    := $(BUILD)/linux-cov
COV_OUT    := $(BUILD)/coverage
GATE       := $(HOSTBIN)/gate
# The object files the report reads (and the only ones gcov is run on).
COV_OBJS   := kernel/signal fs/fcntl
LCOV       := lcov --quiet --rc lcov_branch_coverage=1
# Without early inlining, small static functions keep their own entries.
COV_KCFLAGS := KCFLAGS=-fno-early-inlining

$(GATE): coverage/gate.c
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(@D) && $(HOST_CC) $< -o $@

.PHONY: cov-kbuild
cov-kbuild:
	$(Q)$(MAKE) -s kbuild KBUILD=$(COV_KBUILD) UML=$(COV_UML) \
		FRAGMENTS="$(MAIN_FRAGMENTS) uml-configs/coverage.config" KBUILD_EXTRA=$(COV_KCFLAGS)

# $(call cov_capture,NAME,KERNEL_ARGS,PROGRAMS,WITNESS): boot the coverage
# kernel once, from no data, and capture what that boot alone wrote; the
# function WITNESS must have run in it.
define cov_capture
	$(Q)find $(COV_KBUILD) -name '*.gcda' -delete; rm -rf $(COV_OUT)/$(1) $(ROOTFS)/results; \
	mkdir -p $(COV_OUT)/$(1) $(ROOTFS)/results && touch $(COV_OUT)/$(1)/.boot; \
	echo "  COVBOOT $(COV_UML) ($(1))"; \
	$(RUNNER) -q -t $(BOOT_TIMEOUT) -l $(COV_OUT)/$(1).console -- $(COV_UML) $(UML_ARGS) $(2) \
		umid=lab-cov-$(1)-$$$$ -- test $(TEST_TIMEOUT) $(3) || \
		{ echo "coverage: error: the $(1) boot failed: $(COV_OUT)/$(1).console" >&2; exit 1; }; \
	grep -qx pass $(ROOTFS)/results/status || \
		{ echo "coverage: error: tests failed in the $(1) boot: $(COV_OUT)/$(1).console" >&2; exit 1; }; \
	for o in $(COV_OBJS); do \
		[ -n "$$(find $(COV_KBUILD)/$$o.gcda -newer $(COV_OUT)/$(1)/.boot 2>/dev/null)" ] || \
		{ echo "coverage: error: no $$o.gcda from the $(1) boot (did UML exit cleanly?)" >&2; exit 1; }; \
		cp $(COV_KBUILD)/$$o.gcno $(COV_KBUILD)/$$o.gcda $(COV_OUT)/$(1)/; \
	done; \
	$(LCOV) --capture --directory $(COV_OUT)/$(1) --output-file $(COV_OUT)/$(1).info 2>/dev/null; \
	grep -q '^FNDA:[1-9][0-9]*,$(4)$$' $(COV_OUT)/$(1).info || \
		{ echo "coverage: error: $(1) data has no call of $(4): empty or stale" >&2; exit 1; }
endef

.PHONY: coverage
coverage: cov-kbuild guest-tools $(GATE)
	$(Q)rm -f $(COV_OUT)/gate.tap $(COV_OUT)/summary.json
	$(call cov_capture,kunit,kunit.enable=1,kunit/signal_pidns,cinit_ignores_signal)
	$(call cov_capture,user,,$(patsubst $(ROOTFS)/tests/%,%,$(CONFORMANCE)),send_signal_locked)
	$(Q)genhtml --quiet --branch-coverage --rc lcov_branch_coverage=1 --title "user-space suites" \
		-o $(COV_OUT)/html $(COV_OUT)/user.info >/dev/null
	$(Q)genhtml --quiet --branch-coverage --rc lcov_branch_coverage=1 --title "KUnit" \
		-o $(COV_OUT)/html-kunit $(COV_OUT)/kunit.info >/dev/null
	@echo "  REPORT  $(COV_OUT)/html/index.html (KUnit: html-kunit/), $(COV_OUT)/summary.json"
	$(Q)$(GATE) $(SRC) coverage/rules.list coverage/exclusions.list $(COV_OUT) \
		$(COV_OUT)/user.info $(COV_OUT)/kunit.info

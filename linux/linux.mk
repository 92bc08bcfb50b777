# linux/: the pinned source, the patch series, and the ./linux they build.

include linux/source.mk

SERIES      := linux/patches/series
# The series' patches; 0000 is the cover letter (from linux/cover-letter),
# which is for reviewers and never applied.
COVER       := linux/patches/0000-cover-letter.patch
PATCHES     := $(filter-out $(COVER),$(wildcard linux/patches/*.patch))
SRC_STAMP   := $(SRC)/.git/lab-applied
# Every fragment but the coverage and sanitizer ones builds build/kernel;
# the coverage kernel (coverage/coverage.mk) adds coverage.config, the
# sanitizer kernel (tests/tests.mk) sanitizers.config.
MAIN_FRAGMENTS := $(filter-out uml-configs/coverage.config uml-configs/sanitizers.config,$(sort $(wildcard uml-configs/*.config)))
FRAGMENTS   := $(MAIN_FRAGMENTS)
KCONFIG     := $(KBUILD)/.config
VMLINUX     := $(KBUILD)/vmlinux

# Always ccache (make deps installs it before the first build): a string
# chosen when make parses, before deps ran, would differ between the first
# make and the next, and kbuild's command-line tracking would rebuild all.
KBUILD_CC   := ccache gcc
KMAKE_ARGS   = -C $(SRC) ARCH=um O=$(KBUILD) CC="$(KBUILD_CC)" $(KBUILD_EXTRA)
KMAKE        = $(MAKE) $(KMAKE_ARGS) $(if $(filter 1,$(V)),V=1,-s)

# (A build of another tree, such as bench-rtt's stock one, passes its own
# SRC and SRC_STAMP and must never run this.)
ifeq ($(origin SRC_STAMP),file)
$(SRC_STAMP): $(SERIES) $(PATCHES) linux/source.mk linux/prepare-src.sh | deps
	$(Q)sh linux/prepare-src.sh $(KERNEL_TARBALL) $(KERNEL_TARBALL_SHA256) \
		'$(KERNEL_PACKAGE_VERSION)' linux/patches $(SRC)
endif

# tinyconfig, then the fragments, then a check that every symbol asked for
# landed: merge_config.sh only warns when Kconfig drops one.
$(KCONFIG): $(FRAGMENTS) $(SRC_STAMP) linux/check-config.sh
	@echo "  CONFIG  $(notdir $(FRAGMENTS)) on tinyconfig"
	$(Q)mkdir -p $(KBUILD)
	$(Q)$(KMAKE) tinyconfig >/dev/null
	$(Q)cd $(SRC) && ARCH=um scripts/kconfig/merge_config.sh -m -Q -O $(KBUILD) \
		$(KCONFIG) $(addprefix $(CURDIR)/,$(FRAGMENTS)) >/dev/null
	$(Q)$(KMAKE) olddefconfig >/dev/null
	$(Q)sh linux/check-config.sh $(KCONFIG) $(FRAGMENTS)

# kbuild decides what to rebuild; it is cheap when nothing changed.
# linux/kbuild.sh counts what it compiles instead of listing it.
.PHONY: kbuild
kbuild: $(KCONFIG)
	@echo "  KBUILD  $(KBUILD) ($(KBUILD_CC))"
	$(Q)sh linux/kbuild.sh $(KBUILD) $(MAKE) --no-silent --no-print-directory $(KMAKE_ARGS) \
		$(if $(filter 1,$(V)),V=1) -j$(shell nproc) linux scripts_gdb
	$(Q)ln -f $(KBUILD)/linux $(UML)

.PHONY: linux
linux: kbuild

.PHONY: linux-src
linux-src: $(SRC_STAMP)
	@echo "build/src is a git tree: lab-base is the pristine tarball, one commit per patch on top."
	@echo "Edit, commit (or rebase -i), then 'make patches' to export the series."
	@echo "Which patch holds what: docs/architecture.md; which rule is where: docs/semantics.md."
	@echo "Debian's tarball ignores its whole top level in .gitignore: commit edits with"
	@echo "git commit -a, and add new files with git add -f."

.PHONY: patches
patches: $(SRC_STAMP)
	$(Q)rm -f linux/patches/*.patch
	@# The cover letter's date is HEAD's, so that an unchanged series
	@# exports unchanged.
	$(Q)cd $(SRC) && GIT_COMMITTER_DATE="$$(git log -1 --format=%cD)" \
		git -c branch.$$(git branch --show-current).description="$$(cat $(CURDIR)/linux/cover-letter)" \
		format-patch -q --numbered --zero-commit --no-signature \
		--cover-letter --cover-from-description=subject -o $(CURDIR)/linux/patches lab-base..HEAD
	@# Blank context lines lose their lone space: checkpatch run on a
	@# git-tracked .patch switches to --file mode and calls it trailing
	@# whitespace.  git am reads both forms alike.
	$(Q)sed -i 's/^ $$//' linux/patches/*.patch
	$(Q){ echo '# The patch series, applied in this order by linux/prepare-src.sh.'; \
		cd linux/patches && ls *.patch | grep -vx $(notdir $(COVER)); } > $(SERIES)
	$(Q){ git -C $(SRC) rev-parse HEAD; cd linux/patches && \
		sed -e 's/#.*//' -e '/^[[:space:]]*$$/d' series | xargs sha256sum; } > $(SRC_STAMP)
	@echo "  EXPORT  $$(grep -c '^0' $(SERIES)) patches and the cover letter to linux/patches"

# checkpatch --strict on the patches the lab writes.  A backport (its body
# says "commit <sha> upstream.", the stable trees' convention) keeps
# upstream's code as it is and is not checked.  build/src holds no
# upstream history, so checkpatch cannot look up the commits a message
# cites: UNKNOWN_COMMIT_ID is not checked either.
.PHONY: checkpatch
checkpatch: $(SRC_STAMP)
	$(Q)fail=0; for p in $(COVER) $(PATCHES); do \
		if grep -Eq '^commit [0-9a-f]{40} upstream\.$$' $$p; then \
			echo "  CHECK   $$p: backport of $$(grep -Eo -m1 '^commit [0-9a-f]{12}' $$p | cut -c8-), not checked"; \
			continue; fi; \
		out=$$(cd $(SRC) && perl scripts/checkpatch.pl --strict --no-tree \
			--ignore UNKNOWN_COMMIT_ID $(CURDIR)/$$p) || fail=1; \
		echo "  CHECK   $$p: $$(echo "$$out" | grep '^total:')"; \
		echo "$$out" | grep -E -A3 '^(ERROR|WARNING|CHECK)' ; \
	done; exit $$fail

# $(call src_worktree,DIR,COMMIT): DIR, a fresh git worktree of build/src
# at COMMIT (and the stamp's folder, $(@D), made).
src_worktree = mkdir -p $(@D); git -C $(SRC) worktree remove --force $(1) 2>/dev/null; \
	rm -rf $(1); git -C $(SRC) worktree add -q --detach $(1) $(2)

# make check: sparse, W=1, kernel-doc and Coccinelle on the C files the
# lab's patches touch, each finding compared with the tree without the
# series (a worktree at lab-base): only what the series adds fails it
# (linux/check.sh).  make test runs it; its result is kept while the
# patches and the config are unchanged.
CHECK_OUT   := $(BUILD)/check
BASE_SRC    := $(BUILD)/src-base
BASE_STAMP  := $(CHECK_OUT)/worktree
ifeq ($(origin SRC_STAMP),file)
$(BASE_STAMP): $(SRC_STAMP)
	$(Q)$(call src_worktree,$(BASE_SRC),lab-base) && touch $@
endif
# make test has built the kernel already: it passes CHECK_KBUILD= and
# saves kbuild's up-to-date walk, most of a cached check's time.
CHECK_KBUILD ?= kbuild
.PHONY: check
check: $(CHECK_KBUILD) $(BASE_STAMP)
	$(Q)sh linux/check.sh $(SRC) $(BASE_SRC) $(CHECK_OUT) $(KCONFIG) $(PATCHES)

.PHONY: kernel-version
kernel-version: $(SRC_STAMP)
	@echo "pinned:   $(KERNEL_PACKAGE) $(KERNEL_PACKAGE_VERSION) sha256 $(KERNEL_TARBALL_SHA256)"
	@echo "unpacked: $(KERNEL_PACKAGE) $$(sed -n 1p $(SRC)/.git/lab-source) sha256 $$(sed -n 2p $(SRC)/.git/lab-source)"
	@echo "series:   $$(git -C $(SRC) log --oneline lab-base..HEAD | wc -l) patches on lab-base"

# The pinned kernel source: Debian's linux-source-6.12 package.
#
# The patch series in patches/ is written against exactly this tarball.  A
# different package version still unpacks (with a warning naming both
# versions), and stops at the first patch that no longer applies.
KERNEL_PACKAGE        := linux-source-6.12
KERNEL_PACKAGE_VERSION := 6.12.117-1~deb12u1
KERNEL_TARBALL        := /usr/src/linux-source-6.12.tar.xz
KERNEL_TARBALL_SHA256 := 585a4a074597aefa2b1a68ada83a3184ba351c127544dea80618bbcceaa3961f

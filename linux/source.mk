# The pinned kernel source: Debian's linux-source-6.12 package.
#
# The patch series in patches/ is written against exactly this tarball.  A
# different package version still unpacks (with a warning naming both
# versions), and stops at the first patch that no longer applies.
KERNEL_PACKAGE        := linux-source-6.12
KERNEL_PACKAGE_VERSION := 6.12.118-1~deb12u1
KERNEL_TARBALL        := /usr/src/linux-source-6.12.tar.xz
KERNEL_TARBALL_SHA256 := c93391b6a4884e6428ffbfbb8ce6340229ad28dc421e9f19bc081740b1ab34b2

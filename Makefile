# xt-netflow: kernel module, iptables extension, tools and tests.
# `make deps` installs every Debian package used below (idempotent).

# The kernel to build for (scripts/kver.sh, shared with scripts/dkms.sh):
# the running kernel's headers, else the newest generic flavour. Choose
# another with KVER=6.12.117+deb12-rt-amd64 or KDIR=/path/to/headers.
ifneq ($(KDIR),)
  KWHY := (KDIR=$(KDIR))
else ifneq ($(KVER),)
  KDIR := /lib/modules/$(KVER)/build
  KWHY := (KVER=$(KVER))
else
  KCHOICE := $(shell scripts/kver.sh 2>/dev/null)
  ifneq ($(KCHOICE),)
    KDIR := /lib/modules/$(firstword $(KCHOICE))/build
    KWHY := $(wordlist 2,99,$(KCHOICE))
  endif
endif
ifneq ($(KDIR),)
  KVER := $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
endif

# Warnings are errors in CI and in `make check`.
ifeq ($(CI),true)
  WERROR := y
endif
WERROR ?=

DESTDIR ?=
PREFIX ?= /usr

.PHONY: all module xtables tools deps check unit fuzz vmtest demo bench bench-profile \
	install dkms-install clean checkpatch help

all: module xtables tools

module:
	@test -n "$(KDIR)" || { echo "no kernel headers found: run 'make deps' or set KDIR" >&2; exit 1; }
	@test -f "$(KDIR)/Makefile" || { echo "no kernel headers in $(KDIR)" >&2; exit 1; }
	@echo "xt-netflow: building for $(KVER) $(KWHY)"
	$(MAKE) -C $(KDIR) M=$(CURDIR) NETFLOW_WERROR=$(WERROR) modules

xtables:
	$(MAKE) -C xtables WERROR=$(WERROR)

tools:
	@if [ -f tools/tcshape/Makefile ]; then $(MAKE) -C tools/tcshape; fi

deps:
	scripts/deps.sh

# All tests: host unit tests, fuzzers, then the VM scenarios.
check: deps
	$(MAKE) WERROR=y all
	tests/run

unit:
	$(MAKE) -C tests/unit check

# Every module scenario on a debug build of Debian's 6.12 (KASAN, lockdep,
# PROVE_RCU, DEBUG_OBJECTS, kmemleak after each scenario), plus fault
# injection; the kernel is built once and cached (scripts/debug-kernel.sh).
# Not in check: see the README for how long it takes.
.PHONY: check-debug
check-debug: deps
	$(MAKE) xtables tools
	tests/check-debug.sh

# One-line behaviour mutations (tests/mutations.txt), each against the fast
# test that must catch it; slow (the vm: rows boot a guest), not in check.
.PHONY: mutate
mutate: xtables
	tests/mutate.sh $(M)

vmtest: module xtables tools
	tests/vm/run $(T)

demo: deps
	$(MAKE) all
	scripts/demo.sh

bench: deps
	$(MAKE) all
	bench/run

# where a packet's instructions go: perf samples in the -icount guest
bench-profile: module xtables
	$(MAKE) -s -C bench
	tests/vm/run --icount --mem 2048 --timeout 900 bench_profile
	cat tests/vm/.build/results/bench_profile.txt

# A plain copy rather than modules_install: no signing attempt with a key
# distribution headers do not ship. A staged install (DESTDIR) leaves
# depmod to the package's postinst.
install: module xtables
	install -D -m 0644 kernel/ipt_NETFLOW.ko \
		$(DESTDIR)/lib/modules/$(KVER)/extra/ipt_NETFLOW.ko
	$(if $(DESTDIR),@echo "DESTDIR set: run 'depmod -a $(KVER)' on the target",depmod -a $(KVER))
	$(MAKE) -C xtables install DESTDIR=$(DESTDIR)
	@if [ ! -e $(DESTDIR)/etc/modprobe.d/ipt_NETFLOW.conf ]; then \
		install -D -m 0644 scripts/ipt_NETFLOW.modprobe.conf \
			$(DESTDIR)/etc/modprobe.d/ipt_NETFLOW.conf; fi

# The module through DKMS (rebuilt for every new kernel), plus the same
# xtables extension and modprobe.d example as `make install`.
dkms-install: xtables
	scripts/dkms.sh install $(KVER)
	$(MAKE) -C xtables install DESTDIR=$(DESTDIR)
	@if [ ! -e $(DESTDIR)/etc/modprobe.d/ipt_NETFLOW.conf ]; then \
		install -D -m 0644 scripts/ipt_NETFLOW.modprobe.conf \
			$(DESTDIR)/etc/modprobe.d/ipt_NETFLOW.conf; fi

# checkpatch.pl from the kernel source (make deps extracts it; Debian's
# headers packages do not ship it). pure*.h are the userspace shim, not
# kernel code; CONSTANT_COMPARISON flags LINUX_VERSION_CODE < KERNEL_VERSION.
CHECKPATCH ?= $(firstword $(wildcard $(KDIR)/scripts/checkpatch.pl \
	/usr/local/share/xt-netflow/checkpatch/checkpatch.pl))
CHECKPATCH_FILES = $(filter-out kernel/pure.h kernel/pure_list.h \
	kernel/%.mod.c,$(wildcard kernel/*.[ch])) $(wildcard xtables/*.[ch])
checkpatch:
	@test -n "$(CHECKPATCH)" || { echo "no checkpatch.pl: make deps"; exit 1; }
	$(CHECKPATCH) --no-tree --terse --show-types \
		--ignore SPDX_LICENSE_TAG,LINUX_VERSION_CODE,CONSTANT_COMPARISON \
		-f $(CHECKPATCH_FILES)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C xtables clean
	-$(MAKE) -C tests/unit clean
	@if [ -f tools/tcshape/Makefile ]; then $(MAKE) -C tools/tcshape clean; fi
	rm -rf tests/vm/.build

# bouncedoc - build, run and test. `make help` lists the targets.
#
# Knobs: DEBUG=1 (-O0 -g3), SANITIZE=address,undefined, WERROR=1 (on when
# CI=true), V=1 (show commands), LISTEN=ADDR:PORT for `make run`.

CC       ?= cc
PKGS     := libmicrohttpd jansson libpcre2-8 libcares libpsl
BUILD    := build
OBJDIR   := $(BUILD)/obj
LISTEN   ?= 127.0.0.1:8080
PREFIX   ?= /usr/local
DESTDIR  ?=

SRCS += server/api.c
SRCS += server/api_check.c
SRCS += server/arena.c
SRCS += server/ascii.c
SRCS += server/bounce.c
SRCS += server/buf.c
SRCS += server/check_dkim.c
SRCS += server/check_dmarc.c
SRCS += server/check_dnsbl.c
SRCS += server/check_mx.c
SRCS += server/check_ptr.c
SRCS += server/check_spf.c
SRCS += server/checkrun.c
SRCS += server/checks.c
SRCS += server/cli.c
SRCS += server/codes.c
SRCS += server/config.c
SRCS += server/diag.c
SRCS += server/diagrun.c
SRCS += server/dnsbl.c
SRCS += server/dnsbl_config.c
SRCS += server/dnsbl_health.c
SRCS += server/dnsbl_zone.c
SRCS += server/dkimcheck.c
SRCS += server/dkimkey.c
SRCS += server/dkimsig.c
SRCS += server/dmarccheck.c
SRCS += server/dmarcrec.c
SRCS += server/dnscanary.c
SRCS += server/dnsmsg.c
SRCS += server/dsn.c
SRCS += server/evloop.c
SRCS += server/extract.c
SRCS += server/finding.c
SRCS += server/http.c
SRCS += server/ipclass.c
SRCS += server/jsonload.c
SRCS += server/jsonw.c
SRCS += server/lang.c
SRCS += server/langfmt.c
SRCS += server/log.c
SRCS += server/mailprov.c
SRCS += server/message.c
SRCS += server/metrics.c
SRCS += server/mime.c
SRCS += server/mxcheck.c
SRCS += server/orgdomain.c
SRCS += server/prefilter.c
SRCS += server/ptrcheck.c
SRCS += server/ptrname.c
SRCS += server/reason.c
SRCS += server/report.c
SRCS += server/report_check.c
SRCS += server/resolver.c
SRCS += server/resolver_ares.c
SRCS += server/rules.c
SRCS += server/smtptext.c
SRCS += server/spf.c
SRCS += server/spfaddr.c
SRCS += server/spfcheck.c
SRCS += server/spffix.c
SRCS += server/spffix_cost.c
SRCS += server/spffix_edit.c
SRCS += server/spffix_provider.c
SRCS += server/spfmacro.c
SRCS += server/spfname.c
SRCS += server/spfrecord.c
SRCS += server/taglist.c
SRCS += server/text.c
SRCS += server/texts.c
SRCS += server/texts_cli.c
SRCS += server/texts_msg.c
SRCS += server/tmpl.c
SRCS += server/webui.c
SRCS += server/xmalloc.c

MAIN_SRC := server/main.c

TESTS += arena
TESTS += ascii
TESTS += bounce
TESTS += buf
TESTS += codes
TESTS += config
TESTS += diag
TESTS += diagrun
TESTS += dnsbl
TESTS += dnsbl_config
TESTS += dnsbl_zone
TESTS += dkimcheck
TESTS += dkimkey
TESTS += dkimsig
TESTS += dmarccheck
TESTS += dmarcrec
TESTS += dnscanary
TESTS += dnsfix
TESTS += dnsmsg
TESTS += dsn
TESTS += evloop
TESTS += extract
TESTS += http
TESTS += ipclass
TESTS += jsonw
TESTS += lang
TESTS += langfmt
TESTS += mailprov
TESTS += message
TESTS += metrics
TESTS += mime
TESTS += mxcheck
TESTS += orgdomain
TESTS += prefilter
TESTS += ptrcheck
TESTS += report
TESTS += resolver
TESTS += rules
TESTS += smtptext
TESTS += spf
TESTS += spf_suite
TESTS += spfaddr
TESTS += spfcheck
TESTS += spffix
TESTS += spfmacro
TESTS += spfname
TESTS += spfrecord
TESTS += taglist
TESTS += text
TESTS += texts
TESTS += tmpl

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wmissing-declarations -Wpointer-arith \
	-Wcast-qual -Wformat=2 -Wvla -Wimplicit-fallthrough -Wconversion \
	-Wsign-conversion -Wundef
PROJECT_CFLAGS := -std=c17 -D_DEFAULT_SOURCE $(WARN) -fstack-protector-strong \
	-MMD -MP
ifeq ($(DEBUG),1)
PROJECT_CFLAGS += -O0 -g3
else
PROJECT_CFLAGS += -O2 -g -D_FORTIFY_SOURCE=2
endif
ifneq ($(filter true,$(CI))$(WERROR),)
PROJECT_CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
PROJECT_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
PROJECT_LDFLAGS += -fsanitize=$(SANITIZE)
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS  = $(PROJECT_CFLAGS) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(PROJECT_LDFLAGS) $(LDFLAGS)
LIBS        = $(PKG_LIBS) -lm

ifeq ($(V),1)
Q :=
else
Q := @
endif

OBJS      := $(SRCS:server/%.c=$(OBJDIR)/%.o)
MAIN_OBJ  := $(OBJDIR)/main.o
TEST_BINS := $(TESTS:%=$(BUILD)/tests/test_%)

# The fixture DNS server of the tests (server/tests/dnsfix.h): a library
# linked into every test program, and build/dns-fixture for the API tests.
DNSFIX_SRCS += server/tests/dnsfix.c
DNSFIX_SRCS += server/tests/dnsfix_zone.c
DNSFIX_OBJS := $(DNSFIX_SRCS:server/tests/%.c=$(OBJDIR)/tests/%.o)
DNSFIX_LIB  := $(BUILD)/tests/libdnsfix.a
DNSFIX_BIN  := $(BUILD)/dns-fixture

# The golden bounces (scripts/golden.sh): jsonpretty indents the answers.
GOLDEN_PRETTY := $(BUILD)/tests/jsonpretty
GOLDEN_DEPS   := $(BUILD)/bouncedoc $(DNSFIX_BIN) $(GOLDEN_PRETTY)
GOLDEN_FLAGS   = --bin $(BUILD)/bouncedoc --dns-fixture $(DNSFIX_BIN) \
	--pretty $(GOLDEN_PRETTY)

.SECONDARY:
.PHONY: golden golden-update eval sanitize-test install install-test all deps build-deps test-deps check-deps check-libs run test \
	unit-test api-test check format format-check lint valgrind bench clean help

# Plain `make` only builds; a missing library stops it with one line that
# names the Debian packages and `make deps`.
all: $(BUILD)/bouncedoc

help:
	@echo "make            build $(BUILD)/bouncedoc (installs nothing)"
	@echo "make run        install the build packages, build and serve on $(LISTEN)"
	@echo "make test       install the test packages, run every test: unit, golden, api-tests, browser"
	@echo "make golden     the golden bounces: each answer compared with server/tests/golden/"
	@echo "make golden-update  write the golden answers anew, for review in the diff"
	@echo "make check      format-check, lint, test, sanitize-test, valgrind"
	@echo "make valgrind   unit tests under valgrind"
	@echo "make bench      load benchmark (see docs/PERFORMANCE.md)"
	@echo "make eval       agreement with the labelled bounce corpus, and its speed"
	@echo "make deps       install every Debian and npm package the targets need"

# The one place that installs packages; every other target goes through it.
deps:
	$(Q)scripts/install-deps.sh all
build-deps:
	$(Q)scripts/install-deps.sh build
test-deps:
	$(Q)scripts/install-deps.sh test
check-deps:
	$(Q)scripts/install-deps.sh check-tools
check-libs:
	$(Q)CC="$(CC)" scripts/install-deps.sh check

$(OBJS) $(MAIN_OBJ) $(DNSFIX_OBJS): | check-libs

$(BUILD)/bouncedoc: $(OBJS) $(MAIN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(OBJDIR)/%.o: server/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(OBJDIR)/tests/%.o: server/tests/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Iserver -c -o $@ $<

$(BUILD)/tests/test_%: $(OBJDIR)/tests/test_%.o $(OBJS) $(DNSFIX_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# the SPF conformance runner reads the suites' YAML with libyaml
$(BUILD)/tests/test_spf_suite: LIBS += $(shell pkg-config --libs yaml-0.1 2>/dev/null || echo -lyaml)

$(DNSFIX_LIB): $(DNSFIX_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(GOLDEN_PRETTY): $(OBJDIR)/tests/jsonpretty.o
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(DNSFIX_BIN): $(OBJDIR)/tests/dnsfix_main.o $(DNSFIX_LIB) $(OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Installs what the container image runs; the config defaults look for
# the data in $(PREFIX)/share/bouncedoc.
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/bouncedoc/rules/catalog \
		$(DESTDIR)$(PREFIX)/share/bouncedoc/rules/lang $(DESTDIR)$(PREFIX)/share/bouncedoc/static
	install -m 755 $(BUILD)/bouncedoc $(DESTDIR)$(PREFIX)/bin/bouncedoc
	install -m 644 rules/*.json $(DESTDIR)$(PREFIX)/share/bouncedoc/rules/
	install -m 644 rules/catalog/*.json $(DESTDIR)$(PREFIX)/share/bouncedoc/rules/catalog/
	install -m 644 rules/lang/*.json $(DESTDIR)$(PREFIX)/share/bouncedoc/rules/lang/
	install -m 644 static/* $(DESTDIR)$(PREFIX)/share/bouncedoc/static/
	install -m 644 openapi.yaml $(DESTDIR)$(PREFIX)/share/bouncedoc/openapi.yaml

# The image's layout, checked without a Docker engine: install into a
# staging directory and start the installed binary from there.
install-test: all
	$(Q)rm -rf $(BUILD)/stage
	$(Q)$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(BUILD)/stage PREFIX=/usr/local >/dev/null
	$(Q)scripts/install-test.sh $(CURDIR)/$(BUILD)/stage

# Packages first, then a new make that sees them (pkg-config) and may build
# in parallel.
run: build-deps
	$(Q)$(MAKE) --no-print-directory all
	$(BUILD)/bouncedoc --listen $(LISTEN)

test: test-deps
	$(Q)$(MAKE) --no-print-directory all $(TEST_BINS)
	$(Q)$(MAKE) --no-print-directory unit-test
	$(Q)$(MAKE) --no-print-directory install-test
	$(Q)$(MAKE) --no-print-directory api-test

unit-test: $(TEST_BINS) $(GOLDEN_DEPS) $(BUILD)/bench/eval_corpus
	$(Q)scripts/run-unit-tests.sh $(TEST_BINS)
	$(Q)scripts/golden.sh $(GOLDEN_FLAGS)
	$(Q)$(MAKE) --no-print-directory fuzz-replay
	$(Q)$(BUILD)/bench/eval_corpus --rounds 1 --floors >$(BUILD)/eval.txt || \
	    { cat $(BUILD)/eval.txt; exit 1; }
	$(Q)sed -n '2,4p;/^error text/,+1p' $(BUILD)/eval.txt

# libFuzzer targets (house style §10): `make fuzz` builds them with clang;
# `make fuzz-replay` runs the corpus through a plain main (replay.c) built
# like the unit tests, and is part of `make unit-test`. Fuzz for a while
# with: build/fuzz/fuzz_mime -max_total_time=180 server/tests/fuzz/corpus/mime
.PHONY: fuzz fuzz-replay
FUZZ_CC        := clang
FUZZ_CFLAGS     = $(filter-out -MMD -MP,$(PROJECT_CFLAGS)) -O1 -g \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_MIME_SRCS := server/arena.c server/ascii.c server/buf.c server/log.c \
	server/mime.c server/text.c server/xmalloc.c

# fuzz_bounce runs a whole diagnosis (diag_new + report_diagnosis) with the
# catalog from rules/, so it runs from the repository root:
# build/fuzz/fuzz_bounce -max_total_time=300 -max_len=65536 server/tests/fuzz/corpus/bounce
# It links every server object but main.c.
FUZZ_BOUNCE_SRCS := $(filter-out $(MAIN_SRC),$(SRCS))
FUZZ_BOUNCE_CFLAGS = $(FUZZ_CFLAGS)

FUZZ_DNSMSG_SRCS := server/arena.c server/ascii.c server/dnsmsg.c \
	server/log.c server/xmalloc.c

# fuzz_spf: the SPF record parser and macro expander
# (build/fuzz/fuzz_spf -max_total_time=180 -dict=server/tests/fuzz/spf.dict \
#  server/tests/fuzz/corpus/spf)
FUZZ_SPF_SRCS := server/arena.c server/ascii.c server/buf.c server/log.c \
	server/spfaddr.c server/spfmacro.c server/spfname.c server/spfrecord.c \
	server/texts_msg.c server/xmalloc.c

# fuzz_spffix: the SPF fix over records of any bytes (repairs, merges)
# (build/fuzz/fuzz_spffix -max_total_time=180 -dict=server/tests/fuzz/spf.dict \
#  server/tests/fuzz/corpus/spffix)
FUZZ_SPFFIX_SRCS := $(FUZZ_SPF_SRCS) server/spf.c server/spffix.c \
	server/spffix_cost.c server/spffix_edit.c server/spffix_provider.c

# fuzz_dmarcrec: the DMARC record parser; fuzz_dkimkey: the DKIM key record
# (base64, DER) and the DKIM-Signature tags
# (build/fuzz/fuzz_dkimkey -max_total_time=180 server/tests/fuzz/corpus/dkimkey)
FUZZ_TAGLIST_SRCS := server/arena.c server/ascii.c server/finding.c \
	server/log.c server/taglist.c server/texts_msg.c server/xmalloc.c
FUZZ_DMARCREC_SRCS := $(FUZZ_TAGLIST_SRCS) server/dmarcrec.c
FUZZ_DKIMKEY_SRCS := $(FUZZ_TAGLIST_SRCS) server/dkimkey.c server/dkimsig.c

fuzz: $(BUILD)/fuzz/fuzz_mime $(BUILD)/fuzz/fuzz_bounce $(BUILD)/fuzz/fuzz_dnsmsg \
    $(BUILD)/fuzz/fuzz_spf $(BUILD)/fuzz/fuzz_spffix \
    $(BUILD)/fuzz/fuzz_dmarcrec $(BUILD)/fuzz/fuzz_dkimkey

$(BUILD)/fuzz/fuzz_dmarcrec: server/tests/fuzz/fuzz_dmarcrec.c \
    $(FUZZ_DMARCREC_SRCS) $(wildcard server/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Iserver -o $@ $(filter %.c,$^)

$(BUILD)/fuzz/fuzz_dkimkey: server/tests/fuzz/fuzz_dkimkey.c \
    $(FUZZ_DKIMKEY_SRCS) $(wildcard server/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Iserver -o $@ $(filter %.c,$^)

$(BUILD)/fuzz/fuzz_spffix: server/tests/fuzz/fuzz_spffix.c $(FUZZ_SPFFIX_SRCS) \
    $(wildcard server/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Iserver -o $@ $(filter %.c,$^)

$(BUILD)/fuzz/fuzz_spf: server/tests/fuzz/fuzz_spf.c $(FUZZ_SPF_SRCS) \
    $(wildcard server/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Iserver -o $@ $(filter %.c,$^)

$(BUILD)/fuzz/fuzz_dnsmsg: server/tests/fuzz/fuzz_dnsmsg.c $(FUZZ_DNSMSG_SRCS) \
    $(wildcard server/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Iserver -o $@ $(filter %.c,$^)

$(BUILD)/fuzz/fuzz_mime: server/tests/fuzz/fuzz_mime.c $(FUZZ_MIME_SRCS) \
    $(wildcard server/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Iserver -o $@ $(filter %.c,$^)

$(BUILD)/fuzz/fuzz_bounce: server/tests/fuzz/fuzz_bounce.c $(FUZZ_BOUNCE_SRCS) \
    $(wildcard server/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_BOUNCE_CFLAGS) $(PKG_CFLAGS) -Iserver -o $@ \
		$(filter %.c,$^) $(LIBS)

$(BUILD)/fuzz/replay_mime: $(OBJDIR)/tests/fuzz/fuzz_mime.o \
    $(OBJDIR)/tests/fuzz/replay.o $(OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/replay_bounce: $(OBJDIR)/tests/fuzz/fuzz_bounce.o \
    $(OBJDIR)/tests/fuzz/replay.o $(OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/replay_dnsmsg: $(OBJDIR)/tests/fuzz/fuzz_dnsmsg.o \
    $(OBJDIR)/tests/fuzz/replay.o $(OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/replay_spf: $(OBJDIR)/tests/fuzz/fuzz_spf.o \
    $(OBJDIR)/tests/fuzz/replay.o $(OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/replay_spffix: $(OBJDIR)/tests/fuzz/fuzz_spffix.o \
    $(OBJDIR)/tests/fuzz/replay.o $(OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/replay_dmarcrec: $(OBJDIR)/tests/fuzz/fuzz_dmarcrec.o \
    $(OBJDIR)/tests/fuzz/replay.o $(OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/replay_dkimkey: $(OBJDIR)/tests/fuzz/fuzz_dkimkey.o \
    $(OBJDIR)/tests/fuzz/replay.o $(OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

fuzz-replay: $(BUILD)/fuzz/replay_mime $(BUILD)/fuzz/replay_bounce \
    $(BUILD)/fuzz/replay_dnsmsg \
    $(BUILD)/fuzz/replay_spf $(BUILD)/fuzz/replay_spffix \
    $(BUILD)/fuzz/replay_dmarcrec $(BUILD)/fuzz/replay_dkimkey
	$(Q)$(BUILD)/fuzz/replay_mime server/tests/fuzz/corpus/mime
	$(Q)$(BUILD)/fuzz/replay_bounce server/tests/fuzz/corpus/bounce
	$(Q)$(BUILD)/fuzz/replay_spf server/tests/fuzz/corpus/spf
	$(Q)$(BUILD)/fuzz/replay_spffix server/tests/fuzz/corpus/spffix
	$(Q)$(BUILD)/fuzz/replay_dnsmsg server/tests/fuzz/corpus/dnsmsg
	$(Q)$(BUILD)/fuzz/replay_dmarcrec server/tests/fuzz/corpus/dmarcrec
	$(Q)$(BUILD)/fuzz/replay_dkimkey server/tests/fuzz/corpus/dkimkey

-include $(OBJDIR)/tests/fuzz/fuzz_spf.d $(OBJDIR)/tests/fuzz/fuzz_spffix.d
-include $(OBJDIR)/tests/fuzz/fuzz_dmarcrec.d $(OBJDIR)/tests/fuzz/fuzz_dkimkey.d
-include $(OBJDIR)/tests/fuzz/fuzz_mime.d $(OBJDIR)/tests/fuzz/replay.d \
	$(OBJDIR)/tests/fuzz/fuzz_bounce.d $(OBJDIR)/tests/fuzz/fuzz_dnsmsg.d

# Every golden input in each language through `bouncedoc diagnose`, with
# the checks against the fixture DNS server; a difference is shown as a
# unified diff. golden-update writes the answers instead: review them in
# `git diff` before committing.
golden: $(GOLDEN_DEPS)
	$(Q)scripts/golden.sh $(GOLDEN_FLAGS)

golden-update: $(GOLDEN_DEPS)
	$(Q)scripts/golden.sh --update $(GOLDEN_FLAGS)

api-test: test-deps
	$(Q)$(MAKE) --no-print-directory all $(DNSFIX_BIN)
	$(Q)cd api-tests && DNS_FIXTURE_BIN=$(CURDIR)/$(DNSFIX_BIN) npm test

# The unit tests, the golden bounces and the API tests against a build with
# AddressSanitizer and UBSan, in its own build directory.
sanitize-test: test-deps
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SANITIZE=address,undefined \
		$(BUILD)/asan/bouncedoc $(BUILD)/asan/dns-fixture $(BUILD)/asan/tests/jsonpretty \
		$(TESTS:%=$(BUILD)/asan/tests/test_%)
	$(Q)ASAN_OPTIONS=detect_leaks=1 scripts/run-unit-tests.sh $(TESTS:%=$(BUILD)/asan/tests/test_%)
	$(Q)ASAN_OPTIONS=detect_leaks=1 scripts/golden.sh --bin $(BUILD)/asan/bouncedoc \
		--dns-fixture $(BUILD)/asan/dns-fixture --pretty $(BUILD)/asan/tests/jsonpretty
	$(Q)cd api-tests && ASAN_OPTIONS=detect_leaks=1 BOUNCEDOC_BIN=$(CURDIR)/$(BUILD)/asan/bouncedoc \
		DNS_FIXTURE_BIN=$(CURDIR)/$(BUILD)/asan/dns-fixture npm test

valgrind: test-deps
	$(Q)$(MAKE) --no-print-directory $(TEST_BINS)
	$(Q)BOUNCEDOC_REGEX_JIT=0 VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions=scripts/valgrind.supp" \
		scripts/run-unit-tests.sh $(TEST_BINS)

check: format-check lint test sanitize-test valgrind

FORMAT_FILES = $(wildcard server/*.c server/*.h server/tests/*.c server/tests/*.h \
	server/tests/fuzz/*.c bench/*.c)

format:
	$(Q)clang-format -i $(FORMAT_FILES)

# Compares each file with the formatter's output (clang-format 14's own
# --dry-run reports no-op replacements in some initialiser tables).
# bench/.clang-format links to server/'s, so one style covers both.
format-check: check-deps
	$(Q)fail=0; for f in $(FORMAT_FILES); do \
		clang-format "$$f" | cmp -s - "$$f" || \
			{ echo "not formatted: $$f"; fail=1; }; \
	done; exit $$fail

# Banned in server/ (house style §6); xmalloc.c and arena.c may allocate.
BANNED := '\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|rand|gettimeofday)\s*\('
RAWALLOC := '\b(malloc|calloc|realloc|strdup)\s*\('
# Byte classes and case come from ascii.h, the same whatever the locale.
CTYPE := '\b(is(alnum|alpha|ascii|blank|cntrl|digit|graph|lower|print|punct|space|upper|xdigit)|to(lower|upper)|strn?casecmp)\s*\('
lint: check-deps
	$(Q)! grep -nE $(BANNED) server/*.c server/*.h
	$(Q)! grep -nE $(CTYPE) server/*.c server/*.h
	$(Q)! grep -nE $(RAWALLOC) $(filter-out server/xmalloc.c server/arena.c,$(wildcard server/*.c))
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr --std=c11 -D_DEFAULT_SOURCE server/*.c

$(BUILD)/bench/%: bench/%.c bench/corpus.c bench/corpus.h $(OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Iserver $(ALL_LDFLAGS) -o $@ $< bench/corpus.c $(OBJS) $(LIBS)

$(BUILD)/bench/gmime_parse: bench/gmime_parse.c bench/corpus.c bench/corpus.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -o $@ $< bench/corpus.c $$(pkg-config --cflags --libs gmime-3.0)

# The corpus evaluation of docs/PERFORMANCE.md: agreement with the labelled
# bounce corpus in ../shared and the single-thread speed over it.
eval: build-deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/bench/eval_corpus
	$(Q)$(BUILD)/bench/eval_corpus --rounds 20

bench: all $(BUILD)/bench/diag_bench
	$(Q)$(BUILD)/bench/diag_bench
	$(Q)bench/run-load.sh

clean:
	rm -rf $(BUILD)

-include $(OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_BINS:$(BUILD)/tests/%=$(OBJDIR)/tests/%.d) \
	$(DNSFIX_OBJS:.o=.d) $(OBJDIR)/tests/dnsfix_main.d $(OBJDIR)/tests/jsonpretty.d

# SPF evaluation through spfcheck, the resolver and the fixture DNS server
# on 127.0.0.1 (warm cache, and one cold evaluation with 50 ms answers):
# build/bench/spf_bench [N]
$(BUILD)/bench/spf_bench: bench/spf_bench.c $(OBJS) $(DNSFIX_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Iserver -Iserver/tests $(ALL_LDFLAGS) -o $@ \
		$< $(OBJS) $(DNSFIX_LIB) $(LIBS)

# The live checks of one request at once (SPF, DMARC, PTR, 8 blocklists,
# MX) through checkrun, the resolver and the fixture DNS server in a child
# process, every answer 100 ms late, then 0 ms: one run, and 200 started
# at once (docs/PERFORMANCE.md): build/bench/checks_bench [-n RUNS] [-d MS];
# bench/run-checks.sh [DELAY_MS] [N] does the same through the server.
$(BUILD)/bench/checks_bench: bench/checks_bench.c $(OBJS) $(DNSFIX_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Iserver -Iserver/tests $(ALL_LDFLAGS) -o $@ \
		$< $(OBJS) $(DNSFIX_LIB) $(LIBS)

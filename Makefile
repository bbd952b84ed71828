# fastnma: set-up and checks, all in the project's isolated environment.
#   make deps   install the pinned environment (tools/dependencies.tsv):
#               Debian's binaries with apt-get, the CRAN packages Debian
#               lacks into the project-local library (.Rlib/)
#   make check  deps, R CMD build, R CMD check --as-cran
#   make test   deps, install fastnma into .Rlib, run the test suite
#   make demo   deps, install fastnma into .Rlib, run the main analysis and
#               write its report and figures to demo-output/
#   make site   install fastnma into .Rlib, build the pkgdown site into
#               site/ (fails on any pkgdown warning), take screenshots of
#               three pages in headless Chromium (site/screenshots/) and
#               check every local link of the built HTML
#   make sanitize  build fastnma with AddressSanitizer and UBSan into
#               .Rlib-sanitize/ (not .Rlib) and run the test suite under it;
#               fails on any sanitizer report (SANITIZE_FILTER=... runs a
#               subset of the test files; the log is sanitize.log)
# Every R command runs through tools/isolated: R sees Debian's system
# libraries and .Rlib/ only, whatever R_LIBS, R_LIBS_USER or R's local site
# library hold.
PKG      := fastnma
VERSION  := $(shell sed -n 's/^Version: *//p' DESCRIPTION)
TARBALL  := $(PKG)_$(VERSION).tar.gz
DEMO_DIR ?= demo-output
ISOLATED := $(CURDIR)/tools/isolated
R        := $(ISOLATED) R
RSCRIPT  := $(ISOLATED) Rscript
# tests/testthat.R sources the report, so the test log says what it ran against
export FASTNMA_ENV_REPORT   := $(CURDIR)/tools/env-report.R
export FASTNMA_DEPENDENCIES := $(CURDIR)/tools/dependencies.tsv

.PHONY: deps deps-site env check demo install test site sanitize clean

deps:
	bash tools/install-deps.sh check

deps-site:
	bash tools/install-deps.sh site

env: deps
	$(RSCRIPT) tools/env-report.R

$(TARBALL): env
	$(R) CMD build .

check: $(TARBALL)
	_R_CHECK_CRAN_INCOMING_REMOTE_=false _R_CHECK_SYSTEM_CLOCK_=0 \
	  _R_CHECK_FORCE_SUGGESTS_=true NOT_CRAN=true \
	  $(R) CMD check --as-cran --no-manual $(TARBALL)
	@if grep -qE "^Status:.*(ERROR|WARNING)" $(PKG).Rcheck/00check.log; then \
	  echo "R CMD check found an ERROR or WARNING"; exit 1; fi
	@if grep -qE "^Status: OK|^Status: [0-9]+ NOTE" $(PKG).Rcheck/00check.log; then :; else \
	  echo "R CMD check did not finish"; exit 1; fi
	@if [ -f $(PKG).Rcheck/tests/testthat.Rout ]; then \
	  sed -n '/^fastnma check environment/,/pinned R packages/p' $(PKG).Rcheck/tests/testthat.Rout; \
	  sed -n '/^slowest test files/,/^end of slowest test files/p' $(PKG).Rcheck/tests/testthat.Rout | sed '$$d'; \
	  grep -E "\[ FAIL [0-9]+ \| WARN [0-9]+ \| SKIP [0-9]+ \| PASS [0-9]+ \]" $(PKG).Rcheck/tests/testthat.Rout | tail -n 1 | \
	  sed -E 's/.*FAIL ([0-9]+) \| WARN [0-9]+ \| SKIP ([0-9]+) \| PASS ([0-9]+).*/tests: \3 passed, \1 failed, \2 skipped/'; fi

install: env
	$(R) CMD INSTALL --preclean .

test: install
	NOT_CRAN=true $(RSCRIPT) -e 'source(Sys.getenv("FASTNMA_ENV_REPORT")); testthat::test_local(".", reporter = "summary", load_package = "installed", stop_on_failure = TRUE)'

demo: install
	$(RSCRIPT) tools/demo.R $(DEMO_DIR)

site: deps-site install
	bash tools/site.sh

sanitize:
	bash tools/sanitize.sh $(SANITIZE_FILTER)

clean:
	rm -rf $(PKG).Rcheck $(PKG)_*.tar.gz $(DEMO_DIR) src/*.o src/*.so src/core/*.o \
	  .Rlib-sanitize sanitize.log sanitize-install.log site

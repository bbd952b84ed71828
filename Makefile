# fastnma: the two set-up commands.
#   make check  install what is missing, R CMD build, R CMD check --as-cran
#   make demo   install what is missing, install fastnma, run the main
#               analysis and write its report and figures to demo-output/
PKG      := fastnma
VERSION  := $(shell sed -n 's/^Version: *//p' DESCRIPTION)
TARBALL  := $(PKG)_$(VERSION).tar.gz
DEMO_DIR ?= demo-output

.PHONY: deps check demo install test clean

deps:
	bash tools/install-deps.sh

$(TARBALL): deps
	R CMD build .

check: $(TARBALL)
	_R_CHECK_CRAN_INCOMING_REMOTE_=false _R_CHECK_SYSTEM_CLOCK_=0 \
	  _R_CHECK_FORCE_SUGGESTS_=true NOT_CRAN=true \
	  R CMD check --as-cran --no-manual $(TARBALL)
	@if grep -qE "^Status:.*(ERROR|WARNING)" $(PKG).Rcheck/00check.log; then \
	  echo "R CMD check found an ERROR or WARNING"; exit 1; fi
	@if [ -f $(PKG).Rcheck/tests/testthat.Rout ]; then \
	  grep -E "\[ FAIL [0-9]+ \| WARN [0-9]+ \| SKIP [0-9]+ \| PASS [0-9]+ \]" $(PKG).Rcheck/tests/testthat.Rout | tail -n 1 | \
	  sed -E 's/.*FAIL ([0-9]+) \| WARN [0-9]+ \| SKIP ([0-9]+) \| PASS ([0-9]+).*/tests: \3 passed, \1 failed, \2 skipped/'; fi

install: deps
	R CMD INSTALL .

test: install
	Rscript -e 'testthat::test_local(".", reporter = "summary")'

demo: install
	Rscript tools/demo.R $(DEMO_DIR)

clean:
	rm -rf $(PKG).Rcheck $(PKG)_*.tar.gz $(DEMO_DIR) src/*.o src/*.so

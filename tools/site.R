# Builds the documentation site with the installed fastnma (make site):
# pkgdown::build_site() without reinstalling, with the configuration of
# inst/_pkgdown.yml, and any warning a failure. Before building, the test of
# the reference index (tests/testthat/test-pkgdown-index.R: every topic of
# man/ listed exactly once, in its family) must pass.
#   Rscript tools/site.R [destination]
args <- commandArgs(trailingOnly = TRUE)
dest <- if (length(args)) args[1] else "site"

# pkgdown/templates/head.html is pkgdown 2.0.7's Bootstrap 5 head with local
# copies of its scripts; another pkgdown would render pages with that stale
# head, so it stops here (tools/dependencies.tsv pins pkgdown).
if (utils::packageVersion("pkgdown") != "2.0.7") {
  stop("tools/site.R: pkgdown/templates/head.html follows pkgdown 2.0.7's head.html; ",
       "pkgdown ", utils::packageVersion("pkgdown"), " is installed: compare the two ",
       "and update the template, its deps/ folders and this check")
}

# The site is built without network access: pkgdown must not look the
# package up on package registries (the "links" box of the home page).
options(pkgdown.internet = FALSE)

# The reference index: a topic missing from inst/_pkgdown.yml, listed twice
# or an export without a listed topic stops the build here.
testthat::test_file(file.path("tests", "testthat", "test-pkgdown-index.R"),
                    reporter = "summary", stop_on_failure = TRUE,
                    package = "fastnma", load_package = "installed")

# ARCHITECTURE.md (the layers and the path of one analysis through them),
# when the tree has it, is a page of the site next to CONTRIBUTING.md: the
# navbar's Contributing entry becomes a menu of the two.
override <- list(destination = dest)
if (file.exists("ARCHITECTURE.md")) {
  override$navbar <- list(components = list(contributing = list(
    text = "Contributing", href = NULL,
    menu = list(list(text = "Contributing guide", href = "CONTRIBUTING.html"),
                list(text = "Architecture", href = "ARCHITECTURE.html"))
  )))
}

# pkgdown runs in a child R process (callr), so that what the examples and
# the build leave in this session cannot touch the steps after it.
warnings_seen <- callr::r(function(override) {
  options(pkgdown.internet = FALSE)
  seen <- character()
  withCallingHandlers(
    pkgdown::build_site(".", install = FALSE, new_process = FALSE, preview = FALSE,
                        override = override),
    warning = function(w) seen <<- c(seen, conditionMessage(w))
  )
  seen
}, args = list(override = override), libpath = .libPaths(), show = TRUE,
   stderr = "2>&1")
if (length(warnings_seen)) {
  cat("pkgdown warnings:\n", paste0("* ", warnings_seen, "\n"), sep = "")
  quit(status = 1)
}
# Links between the Markdown pages of the repository (README.md,
# CONTRIBUTING.md) work on a code forge; on the site README.md is the home
# page, index.html, and pkgdown rewrites x.md to x.html but not x.md#part.
for (page in list.files(dest, pattern = "\\.html$", full.names = TRUE)) {
  html <- readLines(page, warn = FALSE)
  fixed <- gsub('href="README\\.(md|html)(#[^"]*)?"', 'href="index.html\\2"', html)
  fixed <- gsub('href="([A-Za-z0-9_-]+)\\.md#', 'href="\\1.html#', fixed)
  if (!identical(fixed, html)) writeLines(fixed, page)
}

# Running the examples can leave reference/Rplot*.png files (plots drawn on
# a device pkgdown does not capture) that no page shows; they are removed.
ref_html <- list.files(file.path(dest, "reference"), pattern = "\\.html$", full.names = TRUE)
ref_text <- paste(unlist(lapply(ref_html, readLines, warn = FALSE)), collapse = "\n")
for (png in list.files(file.path(dest, "reference"), pattern = "^Rplot.*\\.png$")) {
  if (!grepl(png, ref_text, fixed = TRUE)) {
    message("removed reference/", png, ", a plot no page shows")
    file.remove(file.path(dest, "reference", png))
  }
}

# The scripts, stylesheets and fonts the pages load (pkgdown/templates/
# head.html names them) are the site's own copies in deps/<name>-<version>/:
# the site works offline and wherever it is published, with no CDN and no
# path of this machine. The npm packages are those of
# tools/site-assets/package.json (installed by tools/site.sh), MathJax is
# Debian's libjs-mathjax (a dependency of r-cran-pkgdown), and the table of
# contents, pkgdown.js's Toc.init(), is
# tools/site-assets/page-toc/ (bootstrap-toc, which the template loads from
# a CDN, is not on npm). A version other than the one head.html names
# stops the build.
npm_dir <- file.path("tools", "site-assets", "node_modules")
mathjax_dir <- Sys.getenv("MATHJAX_DIR", "/usr/share/javascript/mathjax")

# from[i] (a file or a folder, copied with the files it holds, symbolic links
# followed) to deps/<dir>/<to[i]>
copy_asset <- function(dir, root, from, to = from) {
  for (i in seq_along(from)) {
    src <- file.path(root, from[i])
    if (!file.exists(src)) stop("tools/site.R: ", src, " is missing")
    target <- file.path(dest, "deps", dir, to[i])
    if (dir.exists(src)) {
      files <- list.files(src, recursive = TRUE)
      src <- file.path(src, files)
      target <- file.path(target, files)
    }
    for (j in seq_along(src)) {
      dir.create(dirname(target[j]), recursive = TRUE, showWarnings = FALSE)
      if (!file.copy(src[j], target[j], overwrite = TRUE)) {
        stop("tools/site.R: could not copy ", src[j])
      }
    }
  }
}

npm_asset <- function(package, version, dir, from, to = basename(from)) {
  info <- file.path(npm_dir, package, "package.json")
  if (!file.exists(info)) {
    stop("tools/site.R: the npm package ", package, " is not in ", npm_dir,
         " (tools/site.sh installs it)")
  }
  found <- jsonlite::fromJSON(info)$version
  if (!identical(found, version)) {
    stop("tools/site.R: ", package, " ", found, " is installed, the site needs ", version)
  }
  copy_asset(dir, file.path(npm_dir, package), from, to)
}

npm_asset("@fortawesome/fontawesome-free", "5.12.1", "font-awesome-5.12.1",
          c("css/all.min.css", "css/v4-shims.min.css", "webfonts", "LICENSE.txt"),
          c("css/all.min.css", "css/v4-shims.min.css", "webfonts", "LICENSE.txt"))
npm_asset("headroom.js", "0.11.0", "headroom-0.11.0",
          c("dist/headroom.min.js", "dist/jQuery.headroom.min.js", "LICENSE"))
npm_asset("clipboard", "2.0.6", "clipboard.js-2.0.6", c("dist/clipboard.min.js", "LICENSE"))
npm_asset("fuse.js", "6.4.6", "fuse.js-6.4.6", c("dist/fuse.js", "LICENSE"))
npm_asset("autocomplete.js", "0.38.0", "autocomplete.js-0.38.0",
          c("dist/autocomplete.jquery.min.js", "LICENSE"))
npm_asset("mark.js", "8.11.1", "mark.js-8.11.1", c("dist/mark.min.js", "LICENSE"))
copy_asset("page-toc", file.path("tools", "site-assets", "page-toc"), "page-toc.js")

mathjax_js <- file.path(mathjax_dir, "MathJax.js")
if (!file.exists(mathjax_js)) {
  stop("tools/site.R: no MathJax in ", mathjax_dir, " (Debian's libjs-mathjax)")
}
mathjax_version <- grep('MathJax\\.version="', readLines(mathjax_js, warn = FALSE), value = TRUE)[1]
mathjax_version <- sub('.*MathJax\\.version="([0-9.]+)".*', "\\1", mathjax_version)
if (!identical(mathjax_version, "2.7.9")) {
  stop("tools/site.R: MathJax ", mathjax_version, " is in ", mathjax_dir, ", the site needs 2.7.9")
}
# MathJax with the TeX-AMS-MML_HTMLorMML configuration: its loader, the
# configuration, the input and output processors with the TeX fonts only
# (the renderers of its menu included), its extensions and English.
mathjax_outputs <- list.files(file.path(mathjax_dir, "jax", "output"))
mathjax_from <- c(
  "MathJax.js", "config/TeX-AMS-MML_HTMLorMML.js", "config/local",
  "extensions", "jax/element", "jax/input", "localization/en",
  "fonts/HTML-CSS/TeX/woff", "fonts/HTML-CSS/TeX/otf",
  unlist(lapply(mathjax_outputs, function(o) {
    inside <- list.files(file.path(mathjax_dir, "jax", "output", o))
    c(file.path("jax", "output", o, setdiff(inside, "fonts")),
      if ("fonts" %in% inside) file.path("jax", "output", o, "fonts", "TeX"))
  }))
)
copy_asset("mathjax-2.7.9", mathjax_dir, mathjax_from)
if (file.exists("/usr/share/doc/libjs-mathjax/copyright")) {
  copy_asset("mathjax-2.7.9", "/usr/share/doc/libjs-mathjax", "copyright")
}

cat("Site built in ", dest, "/\n", sep = "")

# The reference index of the documentation site (inst/_pkgdown.yml, installed
# as fastnma/_pkgdown.yml so that this runs in R CMD check as well as from
# the source tree): every documented topic that is not internal is listed
# exactly once, by its name, and every exported object is documented in a
# listed topic. tools/site.R runs this file before it builds the site.

pkgdown_index <- function() {
  # the source tree's copy when there is one (what pkgdown builds from), the
  # installed copy otherwise
  path <- test_path("..", "..", "inst", "_pkgdown.yml")
  if (!file.exists(path)) path <- system.file("_pkgdown.yml", package = "fastnma")
  expect_true(file.exists(path), label = "the site configuration inst/_pkgdown.yml exists")
  yaml::read_yaml(path)
}

# The package's documentation topics: from man/ in the source tree, from the
# installed help otherwise (R CMD check runs the tests on the installed package).
pkgdown_topics <- function() {
  src <- test_path("..", "..")
  db <- if (dir.exists(file.path(src, "man")) && file.exists(file.path(src, "DESCRIPTION"))) {
    tools::Rd_db(dir = src)
  } else {
    tools::Rd_db("fastnma")
  }
  meta <- function(rd, tag) {
    unlist(lapply(rd[vapply(rd, function(x) identical(attr(x, "Rd_tag"), tag), logical(1))],
                  function(x) paste(unlist(x), collapse = "")))
  }
  lapply(unname(db), function(rd) {
    list(name = meta(rd, "\\name"), alias = meta(rd, "\\alias"),
         internal = "internal" %in% trimws(meta(rd, "\\keyword")))
  })
}

# the \name of the topic each entry names (by its name or one of its aliases)
pkgdown_resolve <- function(entries, topics) {
  vapply(entries, function(e) {
    hit <- Filter(function(t) e %in% c(t$name, t$alias), topics)
    if (length(hit)) hit[[1]]$name else NA_character_
  }, character(1), USE.NAMES = FALSE)
}

pkgdown_exports <- function() {
  src <- normalizePath(test_path("..", ".."), mustWork = FALSE)
  if (file.exists(file.path(src, "NAMESPACE")) && file.exists(file.path(src, "DESCRIPTION"))) {
    ns <- parseNamespaceFile(basename(src), dirname(src))
    return(ns$exports)
  }
  getNamespaceExports("fastnma")
}

test_that("every reference section lists topics by name, each once", {
  cfg <- pkgdown_index()
  topics <- pkgdown_topics()
  sections <- cfg$reference
  expect_gt(length(sections), 0)
  titles <- vapply(sections, function(s) if (is.character(s$title)) s$title else NA_character_, character(1))
  expect_false(anyNA(titles), label = "every reference section has a title")
  entries <- unlist(lapply(sections, function(s) as.character(unlist(s$contents))))
  listed <- pkgdown_resolve(entries, topics)
  unknown <- entries[is.na(listed)]
  expect(length(unknown) == 0,
         paste0("_pkgdown.yml lists entries that are not the name or an alias of a topic ",
                "of man/ (list topics by name, no selectors): ", paste(unknown, collapse = ", ")))
  listed <- listed[!is.na(listed)]
  twice <- unique(listed[duplicated(listed)])
  expect(length(twice) == 0,
         paste0("_pkgdown.yml lists topics more than once: ", paste(twice, collapse = ", ")))
})

test_that("every documented topic and every export is in the reference index", {
  cfg <- pkgdown_index()
  topics <- pkgdown_topics()
  listed <- pkgdown_resolve(unlist(lapply(cfg$reference, function(s) as.character(unlist(s$contents)))),
                            topics)
  public <- topics[!vapply(topics, `[[`, logical(1), "internal")]
  public_names <- vapply(public, `[[`, character(1), "name")
  missing <- setdiff(public_names, listed)
  expect(length(missing) == 0,
         paste0("topics of man/ not listed in a section of _pkgdown.yml: ",
                paste(missing, collapse = ", ")))
  internal_names <- vapply(topics[vapply(topics, `[[`, logical(1), "internal")],
                           `[[`, character(1), "name")
  listed_internal <- intersect(listed, internal_names)
  expect(length(listed_internal) == 0,
         paste0("_pkgdown.yml lists internal topics (pkgdown leaves them out): ",
                paste(listed_internal, collapse = ", ")))

  # an export is covered by a listed topic that documents it (an \alias);
  # generics re-exported from other packages (tidy, glance, autoplot) are
  # documented there
  exports <- pkgdown_exports()
  expect_gt(length(exports), 0)
  ns <- asNamespace("fastnma")
  reexported <- vapply(exports, function(x) {
    f <- get0(x, envir = ns)
    is.function(f) && !identical(topenv(environment(f)), ns)
  }, logical(1))
  exports <- exports[!reexported]
  covered <- unique(unlist(lapply(topics, function(t) if (t$name %in% listed) t$alias)))
  uncovered <- setdiff(exports, covered)
  expect(length(uncovered) == 0,
         paste0("exported but not documented in a topic of the reference index: ",
                paste(uncovered, collapse = ", ")))
})

test_that("the navbar has Get started and the gallery sits with the figures", {
  cfg <- pkgdown_index()
  comp <- cfg$navbar$components
  left <- unlist(cfg$navbar$structure$left)
  starts <- vapply(left, function(k) identical(comp[[k]]$text, "Get started"), logical(1))
  expect_true(any(starts), label = "a 'Get started' entry in the navbar")
  expect_identical(comp[[left[starts][1]]]$href, "articles/getting-started.html")
  figures <- Filter(function(s) identical(s$title, "Figures"), cfg$articles)
  expect_length(figures, 1)
  expect_true("articles/gallery" %in% unlist(figures[[1]]$contents))
})

# Builds the documentation site with the installed fastnma (make site):
# pkgdown::build_site() without reinstalling, every topic of man/ in the
# reference index (topics the sections of _pkgdown.yml do not select go to
# a last section, "Other topics"), and any warning a failure.
#   Rscript tools/site.R [destination]
args <- commandArgs(trailingOnly = TRUE)
dest <- if (length(args)) args[1] else "site"

cfg <- yaml::read_yaml("_pkgdown.yml")
# The site is built without network access: pkgdown must not look the
# package up on package registries (the "links" box of the home page).
options(pkgdown.internet = FALSE)

# The topics of man/ that pkgdown lists: every \name, except internal ones.
rd_topics <- function() {
  files <- list.files("man", pattern = "\\.Rd$", full.names = TRUE)
  info <- lapply(files, function(f) {
    rd <- readLines(f, warn = FALSE)
    name <- sub("^\\\\name\\{(.*)\\}$", "\\1", grep("^\\\\name\\{", rd, value = TRUE)[1])
    alias <- sub("^\\\\alias\\{(.*)\\}$", "\\1", grep("^\\\\alias\\{", rd, value = TRUE))
    concept <- sub("^\\\\concept\\{(.*)\\}$", "\\1", grep("^\\\\concept\\{", rd, value = TRUE))
    list(name = name, alias = alias, concept = concept,
         internal = any(grepl("^\\\\keyword\\{internal\\}", rd)))
  })
  info[!vapply(info, `[[`, logical(1), "internal")]
}

# The topics a section's contents select (the selectors _pkgdown.yml uses).
selected <- function(entry, topics) {
  names <- vapply(topics, `[[`, character(1), "name")
  hit <- function(f) names[vapply(topics, f, logical(1))]
  m <- regmatches(entry, regexec('^(\\w+)\\("(.*)"\\)$', entry))[[1]]
  if (!length(m)) return(hit(function(t) entry %in% c(t$name, t$alias)))
  arg <- gsub("\\\\\\\\", "\\\\", m[3])
  switch(m[2],
    starts_with = hit(function(t) any(startsWith(c(t$name, t$alias), arg))),
    ends_with = hit(function(t) any(endsWith(c(t$name, t$alias), arg))),
    matches = hit(function(t) any(grepl(arg, c(t$name, t$alias)))),
    has_concept = hit(function(t) arg %in% t$concept),
    stop("tools/site.R does not know the selector ", m[2], "()")
  )
}

topics <- rd_topics()
ref <- cfg$reference
covered <- character()
keep <- list()
for (sec in ref) {
  got <- lapply(sec$contents, selected, topics = topics)
  covered <- c(covered, unlist(got))
  # a selector that selects nothing (a family not in this version) is left
  # out rather than let pkgdown stop on it
  sec$contents <- sec$contents[lengths(got) > 0L]
  if (length(sec$contents)) keep[[length(keep) + 1L]] <- sec
}
other <- setdiff(vapply(topics, `[[`, character(1), "name"), covered)
if (length(other)) {
  message("Reference topics not in a section of _pkgdown.yml (listed under Other topics): ",
          paste(other, collapse = ", "))
  keep[[length(keep) + 1L]] <- list(title = "Other topics", contents = as.list(other))
}

warnings_seen <- character()
withCallingHandlers(
  pkgdown::build_site(".", install = FALSE, new_process = FALSE, preview = FALSE,
                      override = list(reference = keep, destination = dest)),
  warning = function(w) {
    warnings_seen <<- c(warnings_seen, conditionMessage(w))
  }
)
if (length(warnings_seen)) {
  cat("pkgdown warnings:\n", paste0("* ", warnings_seen, "\n"), sep = "")
  quit(status = 1)
}
cat("Site built in ", dest, "/\n", sep = "")

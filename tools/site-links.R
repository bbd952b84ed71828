# Every local link (href, src) of the built site's HTML pages must name a
# file that exists; external links are not followed (no network here). And
# the site must be self-contained: no page may load a script, stylesheet,
# font, icon or image from elsewhere (http:, https:, protocol-relative //,
# file:), and no stylesheet of the site may import one, so that it works
# offline and wherever it is published.
#   Rscript tools/site-links.R site
args <- commandArgs(trailingOnly = TRUE)
dest <- if (length(args)) args[1] else "site"
pages <- list.files(dest, pattern = "\\.html$", recursive = TRUE, full.names = TRUE)
external <- "^\\s*([a-zA-Z][a-zA-Z0-9+.-]*:|//)"
remote <- "^\\s*(https?:|file:|//)"
# <link> relations whose target the browser loads with the page
loaded_rel <- c("stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                "modulepreload", "manifest", "mask-icon")
# the addresses a stylesheet loads: url(...) and @import "..."
css_loads <- function(text) {
  u <- unlist(regmatches(text, gregexpr("url\\(\\s*['\"]?[^'\")]+", text)))
  i <- unlist(regmatches(text, gregexpr("@import\\s+['\"][^'\"]+", text)))
  c(sub("^url\\(\\s*['\"]?", "", u), sub("^@import\\s+['\"]", "", i))
}
attr_of <- function(doc, xpath, attr) {
  xml2::xml_attr(xml2::xml_find_all(doc, xpath), attr)
}
dead <- character()
outside <- character()
for (p in pages) {
  doc <- xml2::read_html(p)
  page <- sub(paste0("^", dest, "/"), "", p)
  links <- c(attr_of(doc, "//a[@href]", "href"), attr_of(doc, "//img[@src]", "src"),
             attr_of(doc, "//link[@href]", "href"), attr_of(doc, "//script[@src]", "src"))
  links <- links[!is.na(links) & nzchar(links)]
  links <- links[!grepl(paste0(external, "|^#"), links)]
  target <- sub("[?#].*$", "", links)
  target <- target[nzchar(target)]
  path <- file.path(dirname(p), utils::URLdecode(target))
  path <- ifelse(dir.exists(path), file.path(path, "index.html"), path)
  bad <- target[!file.exists(path)]
  if (length(bad)) dead <- c(dead, paste0(page, ": ", unique(bad)))

  link_nodes <- xml2::xml_find_all(doc, "//link[@href]")
  rel <- tolower(xml2::xml_attr(link_nodes, "rel"))
  rel_loaded <- vapply(strsplit(ifelse(is.na(rel), "", rel), "\\s+"),
                       function(r) any(r %in% loaded_rel), logical(1))
  loads <- c(attr_of(doc, "//script[@src]", "src"),
             xml2::xml_attr(link_nodes, "href")[rel_loaded],
             attr_of(doc, "//img[@src]", "src"),
             attr_of(doc, "//iframe[@src]", "src"),
             attr_of(doc, "//source[@src]", "src"))
  styles <- c(xml2::xml_text(xml2::xml_find_all(doc, "//style")),
              attr_of(doc, "//*[@style]", "style"))
  loads <- c(loads, css_loads(styles))
  loads <- loads[!is.na(loads) & grepl(remote, loads, ignore.case = TRUE)]
  if (length(loads)) outside <- c(outside, paste0(page, ": ", unique(loads)))
}
for (css in list.files(dest, pattern = "\\.css$", recursive = TRUE, full.names = TRUE)) {
  text <- paste(readLines(css, warn = FALSE), collapse = "\n")
  urls <- css_loads(text)
  urls <- urls[grepl(remote, urls, ignore.case = TRUE)]
  if (length(urls)) {
    outside <- c(outside, paste0(sub(paste0("^", dest, "/"), "", css), ": ", unique(urls)))
  }
}
cat(length(pages), "pages checked,", length(dead), "dead local links,",
    length(outside), "scripts, stylesheets, fonts or images loaded from outside the site\n")
if (length(dead)) {
  cat("Dead local links:\n", paste0("* ", dead, "\n"), sep = "")
}
if (length(outside)) {
  cat("Loaded from outside the site (copy it into the site, see tools/site.R):\n",
      paste0("* ", outside, "\n"), sep = "")
}
if (length(dead) || length(outside)) quit(status = 1)

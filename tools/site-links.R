# Every local link (href, src) of the built site's HTML pages must name a
# file that exists; external links are not followed (no network here).
#   Rscript tools/site-links.R site
args <- commandArgs(trailingOnly = TRUE)
dest <- if (length(args)) args[1] else "site"
pages <- list.files(dest, pattern = "\\.html$", recursive = TRUE, full.names = TRUE)
dead <- character()
for (p in pages) {
  doc <- xml2::read_html(p)
  links <- c(xml2::xml_attr(xml2::xml_find_all(doc, "//a[@href]"), "href"),
             xml2::xml_attr(xml2::xml_find_all(doc, "//img[@src]"), "src"),
             xml2::xml_attr(xml2::xml_find_all(doc, "//link[@href]"), "href"),
             xml2::xml_attr(xml2::xml_find_all(doc, "//script[@src]"), "src"))
  links <- links[!is.na(links) & nzchar(links)]
  links <- links[!grepl("^([a-zA-Z][a-zA-Z0-9+.-]*:|//|#)", links)]
  target <- sub("[?#].*$", "", links)
  target <- target[nzchar(target)]
  path <- file.path(dirname(p), utils::URLdecode(target))
  path <- ifelse(dir.exists(path), file.path(path, "index.html"), path)
  bad <- target[!file.exists(path)]
  if (length(bad)) dead <- c(dead, paste0(sub(paste0("^", dest, "/"), "", p), ": ", unique(bad)))
}
cat(length(pages), "pages checked,", length(dead), "dead local links\n")
if (length(dead)) {
  cat(paste0("* ", dead, "\n"), sep = "")
  quit(status = 1)
}

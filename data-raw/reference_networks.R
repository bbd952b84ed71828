# Build the five classic reference networks shipped as datasets:
#   senn2013, stowe2010, franchini2012, smokingcessation, dong2013
#
# Source: inst/extdata/<Name>_input.csv, byte-identical copies of
# shared/reference/netmeta/<Name>_input.csv (the inputs that were fed to
# netmeta 3.3.1 to produce the reference results used in the tests; the
# data themselves are netmeta's datasets Senn2013, Stowe2010,
# Franchini2012, smokingcessation and Dong2013 in long format).
# Run from the package root:
#
#   Rscript data-raw/reference_networks.R
#
# Column names are kept as in the input files so that users see the
# published data: contrast level `study, treat1, treat2, TE, seTE`;
# arm level `study, treatment, mean, sd, n` or `study, treatment, events, n`.

networks <- list(
  senn2013 = list(
    file = "Senn2013_input.csv",
    cols = c(study = "character", treat1 = "character", treat2 = "character",
             TE = "numeric", seTE = "numeric")
  ),
  stowe2010 = list(
    file = "Stowe2010_input.csv",
    cols = c(study = "character", treatment = "character", mean = "numeric",
             sd = "numeric", n = "integer")
  ),
  franchini2012 = list(
    file = "Franchini2012_input.csv",
    cols = c(study = "character", treatment = "character", mean = "numeric",
             sd = "numeric", n = "integer")
  ),
  smokingcessation = list(
    file = "smokingcessation_input.csv",
    cols = c(study = "character", treatment = "character", events = "integer",
             n = "integer")
  ),
  dong2013 = list(
    file = "Dong2013_input.csv",
    cols = c(study = "character", treatment = "character", events = "integer",
             n = "integer")
  )
)

read_network <- function(name, spec) {
  path <- file.path("inst", "extdata", spec$file)
  if (!file.exists(path)) stop("missing input file ", path, call. = FALSE)
  header <- names(utils::read.csv(path, nrows = 1L, check.names = FALSE))
  if (!identical(header, names(spec$cols))) {
    stop(sprintf("%s: header is {%s}, expected {%s}", spec$file,
                 paste(header, collapse = ", "),
                 paste(names(spec$cols), collapse = ", ")), call. = FALSE)
  }
  d <- utils::read.csv(path, colClasses = unname(spec$cols),
                       stringsAsFactors = FALSE, check.names = FALSE,
                       na.strings = c("", "NA"))
  if (anyNA(d)) {
    stop(sprintf("%s: missing values in row(s) %s", spec$file,
                 paste(which(!stats::complete.cases(d)), collapse = ", ")),
         call. = FALSE)
  }
  # structural checks
  if ("treatment" %in% names(d)) {
    key <- paste(d$study, d$treatment, sep = "\r")
    if (anyDuplicated(key)) stop(spec$file, ": duplicated (study, treatment)", call. = FALSE)
    arms <- table(d$study)
    if (any(arms < 2L)) stop(spec$file, ": studies with a single arm: ",
                             paste(names(arms)[arms < 2L], collapse = ", "), call. = FALSE)
    if (any(d$n <= 0L)) stop(spec$file, ": non-positive n", call. = FALSE)
    if ("sd" %in% names(d) && any(d$sd <= 0)) stop(spec$file, ": non-positive sd", call. = FALSE)
    if ("events" %in% names(d) && any(d$events < 0L | d$events > d$n)) {
      stop(spec$file, ": events outside [0, n]", call. = FALSE)
    }
  } else {
    if (any(d$treat1 == d$treat2)) stop(spec$file, ": treat1 == treat2", call. = FALSE)
    if (any(d$seTE <= 0)) stop(spec$file, ": non-positive seTE", call. = FALSE)
  }
  rownames(d) <- NULL
  d
}

dir.create("data", showWarnings = FALSE)
for (name in names(networks)) {
  d <- read_network(name, networks[[name]])
  stopifnot(is.data.frame(d), !any(vapply(d, is.factor, logical(1))))
  assign(name, d)
  message(sprintf("%-16s %3d rows, %2d studies", name, nrow(d),
                  length(unique(d$study))))
  save(list = name, file = file.path("data", paste0(name, ".rda")),
       compress = "xz", version = 2)
}

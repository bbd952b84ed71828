# Reference fixtures: inputs and netmeta outputs on published networks.
fixture <- function(name) {
  utils::read.csv(test_path("fixtures", name), stringsAsFactors = FALSE)
}

# Align two contrast tables on (study, treat1, treat2), flipping the sign of
# the estimate where the pair is given the other way round.
align_contrasts <- function(x, ref) {
  key <- paste(x$study, x$treat1, x$treat2, sep = "\r")
  fwd <- match(paste(ref$study, ref$treat1, ref$treat2, sep = "\r"), key)
  rev <- match(paste(ref$study, ref$treat2, ref$treat1, sep = "\r"), key)
  idx <- ifelse(is.na(fwd), rev, fwd)
  sign <- ifelse(is.na(fwd), -1, 1)
  data.frame(estimate = sign * x$estimate[idx], std.error = x$std.error[idx])
}

# One 2x2 routine for every binary effect the package computes: the study
# contrasts of arm_contrasts(), the stored study contrasts of a
# Mantel-Haenszel fit and the study estimates behind pairwise_binary()'s Q.
# The formulas live in the C++ core (src/core/twobytwo.h); this file holds
# the R side: the status table and the enumeration of arm pairs.

# Reasons for the status codes of src/core/twobytwo.h (code 1, 2, ...).
twobytwo_status_reason <- c(
  "no events in either arm",
  "events in every patient of both arms",
  "zero cell without correction: effect not estimable",
  "zero variance (zero cells without correction): effect not estimable",
  "invalid arm data"
)

# Effects of arm 1 relative to arm 2 for vectors of 2x2 tables.
# `convention`: "pairwise" (netmeta's pairwise(): RR with the increment
# added once to the arm size, RD from the uncorrected proportions) or
# "cells" (metafor's escalc(): every quantity from the corrected table).
# Returns estimate, std.error (NA where not estimable), status (0 =
# estimable) and reason (NA where estimable).
twobytwo <- function(events1, n1, incr1, events2, n2, incr2, measure,
                     convention = c("pairwise", "cells"),
                     drop_no_events = FALSE, drop_all_events = FALSE) {
  convention <- match.arg(convention)
  res <- twobytwo_cpp(
    list(events1 = as.double(events1), n1 = as.double(n1), incr1 = as.double(incr1),
         events2 = as.double(events2), n2 = as.double(n2), incr2 = as.double(incr2)),
    list(measure = match(measure, c("OR", "RR", "RD")) - 1L,
         convention = match(convention, c("pairwise", "cells")) - 1L,
         drop_no_events = drop_no_events, drop_all_events = drop_all_events))
  data.frame(estimate = res$estimate, std.error = sqrt(res$variance),
             status = res$status,
             reason = ifelse(res$status > 0L, twobytwo_status_reason[pmax(res$status, 1L)],
                             NA_character_),
             stringsAsFactors = FALSE)
}

# All pairs of arms (i < j) within each study, arms grouped by study in order
# of first appearance and kept in data order within a study: treat1 is the
# arm that comes first. `keep` marks the arms that may form pairs. Returns
# the indices of the two arms of each pair.
arm_pair_index <- function(st, keep = rep(TRUE, length(st))) {
  p <- tabulate(match(st, unique(st)))[match(st, unique(st))]
  pos <- stats::ave(seq_along(st), st, FUN = seq_along)
  times <- ifelse(keep, p - pos, 0L)
  i1 <- rep(seq_along(st), times = times)
  list(i1 = i1, i2 = i1 + sequence(times[times > 0]))
}

# Binary study contrasts of arms grouped by study (see arm_pair_index()),
# with per-arm increments, as arm_contrasts() returns them: columns study,
# treat1, treat2, estimate, std.error, n1, n2, events1, events2, incr1,
# incr2, plus status and reason.
binary_pair_contrasts <- function(st, tr, ev, nn, incr, measure,
                                  keep = rep(TRUE, length(st))) {
  ix <- arm_pair_index(st, keep)
  i1 <- ix$i1; i2 <- ix$i2
  eff <- twobytwo(ev[i1], nn[i1], incr[i1], ev[i2], nn[i2], incr[i2], measure)
  data.frame(study = st[i1], treat1 = tr[i1], treat2 = tr[i2],
             estimate = eff$estimate, std.error = eff$std.error,
             n1 = nn[i1], n2 = nn[i2], events1 = ev[i1], events2 = ev[i2],
             incr1 = incr[i1], incr2 = incr[i2],
             status = eff$status, reason = eff$reason,
             stringsAsFactors = FALSE)
}

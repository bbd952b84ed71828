// Effect of one arm relative to another from two binary arms (a 2x2 table):
// odds ratio, risk ratio (both on the log scale) or risk difference, with
// the variance of the estimate and a status saying whether it is estimable.
//
// Plain C++17, no R. Every pair gets a status; a pair that is not estimable
// gets NaN estimate and variance together with the reason, so that no NaN or
// infinity leaves this file without a status that names it.
//
// Arm k has e_k events out of n_k patients and the continuity increment c_k
// (already decided by the caller's zero-cell policy; 0 for none). Two
// conventions:
//
// * PAIRWISE (netmeta's pairwise(), meta's metabin() defaults):
//     OR: log((e1 + c1)(n2 - e2 + c2) / ((n1 - e1 + c1)(e2 + c2))),
//         variance sum_k 1/(e_k + c_k) + 1/(n_k - e_k + c_k);
//     RR: log((e1 + c1)/(n1 + c1)) - log((e2 + c2)/(n2 + c2)), the increment
//         added once to the arm size, variance
//         sum_k 1/(e_k + c_k) - 1/(n_k + c_k); when every patient of both
//         arms has an event (e_k = n_k) that variance is 0 and
//         sum_k 1/n_k - 1/(n_k + c_k) is used instead (as meta does, after
//         Hartung and Knapp 2001), so such tables stay estimable when c > 0;
//     RD: e1/n1 - e2/n2 from the uncorrected proportions, variance
//         sum_k (e_k + c_k)(n_k - e_k + c_k)/(n_k + 2 c_k)^3.
// * CELLS (metafor's escalc(), RevMan): the increment is added to all four
//     cells and every quantity, the risk difference included, is computed
//     from the corrected table (arm size n_k + 2 c_k).
//
// Tables with no events in either arm (double zero) or with events in every
// patient of both arms are reported as such when the caller asks to drop
// them; otherwise they are computed like any other table.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "pair_effects.h"
#include "status.h"

namespace fastnma {
namespace twobytwo {

enum Measure { OR = 0, RR = 1, RD = 2 };

enum Convention { PAIRWISE = 0, CELLS = 1 };

// Status: the per-table codes of status.h (twobytwo::Status).

struct Options {
  Measure measure = OR;
  Convention convention = PAIRWISE;
  bool drop_no_events = false;   // report NO_EVENTS_BOTH instead of computing
  bool drop_all_events = false;  // report ALL_EVENTS_BOTH instead of computing
};

struct Arm {
  double events = 0, n = 0, incr = 0;
};

struct Effect {
  double estimate = std::numeric_limits<double>::quiet_NaN();
  double variance = std::numeric_limits<double>::quiet_NaN();
  Status status = INVALID_INPUT;
};

inline bool valid_arm(const Arm& a) {
  return std::isfinite(a.events) && std::isfinite(a.n) && std::isfinite(a.incr) &&
         a.n > 0 && a.events >= 0 && a.events <= a.n && a.incr >= 0;
}

inline Effect not_estimable(Status s) {
  Effect out;
  out.status = s;
  return out;
}

inline Effect estimable(double estimate, double variance) {
  if (!std::isfinite(estimate) || !std::isfinite(variance)) {
    return not_estimable(ZERO_CELL_UNCORRECTED);
  }
  if (!(variance > 0)) return not_estimable(ZERO_VARIANCE);
  Effect out;
  out.estimate = estimate;
  out.variance = variance;
  out.status = ESTIMABLE;
  return out;
}

// One table: arm 1 relative to arm 2.
inline Effect effect(const Arm& a1, const Arm& a2, const Options& opt) {
  if (!valid_arm(a1) || !valid_arm(a2)) return not_estimable(INVALID_INPUT);
  const bool no_events = a1.events == 0 && a2.events == 0;
  const bool all_events = a1.events == a1.n && a2.events == a2.n;
  if (no_events && opt.drop_no_events) return not_estimable(NO_EVENTS_BOTH);
  if (all_events && opt.drop_all_events) return not_estimable(ALL_EVENTS_BOTH);

  // Corrected cells: events x, non-events y.
  const double x1 = a1.events + a1.incr, y1 = a1.n - a1.events + a1.incr;
  const double x2 = a2.events + a2.incr, y2 = a2.n - a2.events + a2.incr;
  const bool cells = opt.convention == CELLS;

  switch (opt.measure) {
    case OR: {
      if (x1 <= 0 || y1 <= 0 || x2 <= 0 || y2 <= 0) return not_estimable(ZERO_CELL_UNCORRECTED);
      return estimable(std::log(x1 * y2 / (y1 * x2)), 1 / x1 + 1 / y1 + 1 / x2 + 1 / y2);
    }
    case RR: {
      if (x1 <= 0 || x2 <= 0) return not_estimable(ZERO_CELL_UNCORRECTED);
      // Arm size with the increment: once (pairwise) or twice (all cells).
      const double m1 = cells ? x1 + y1 : a1.n + a1.incr;
      const double m2 = cells ? x2 + y2 : a2.n + a2.incr;
      const double est = std::log(x1 / m1) - std::log(x2 / m2);
      double var = 1 / x1 - 1 / m1 + 1 / x2 - 1 / m2;
      if (!cells && all_events) {
        var = 1 / a1.n - 1 / m1 + 1 / a2.n - 1 / m2;
      }
      // Guard rounding: the terms are exactly 0 when e = n and c = 0.
      if (var < 0) var = 0;
      return estimable(est, var);
    }
    case RD: {
      const double m1 = x1 + y1, m2 = x2 + y2;
      const double est = cells ? x1 / m1 - x2 / m2 : a1.events / a1.n - a2.events / a2.n;
      const double var = x1 * y1 / (m1 * m1 * m1) + x2 * y2 / (m2 * m2 * m2);
      return estimable(est, var);
    }
  }
  return not_estimable(INVALID_INPUT);
}

using Effects = PairEffects;

// Arrays of pairs (all of the same length).
inline Effects effects(const std::vector<double>& e1, const std::vector<double>& n1,
                       const std::vector<double>& c1, const std::vector<double>& e2,
                       const std::vector<double>& n2, const std::vector<double>& c2,
                       const Options& opt) {
  return pair_effects(e1.size(), [&](std::size_t i) {
    return effect(Arm{e1[i], n1[i], c1[i]}, Arm{e2[i], n2[i], c2[i]}, opt);
  });
}

}  // namespace twobytwo
}  // namespace fastnma

// Effects of one arm relative to another for two effect measures that are
// not 2x2 tables: the incidence rate ratio (events over person-time) and the
// ratio of means. Both on the log scale, with the variance of the estimate
// and a status, as in twobytwo.h: a pair that is not estimable gets NaN
// estimate and variance together with a status that names why.
//
// Plain C++17, no R.
//
// * IRR (netmeta's pairwise(sm = "IRR"), meta's metainc()): arm k has e_k
//   events in person-time t_k and the increment c_k decided by the caller's
//   zero-cell policy (0 for none), added to the events only:
//     log((e1 + c1)/t1) - log((e2 + c2)/t2),
//     variance 1/(e1 + c1) + 1/(e2 + c2).
// * ROM (pairwise(sm = "ROM"), meta's metacont()): arm k has mean m_k > 0,
//   standard deviation s_k > 0 and n_k patients:
//     log(m1/m2), variance s1^2/(n1 m1^2) + s2^2/(n2 m2^2).
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "pair_effects.h"
#include "status.h"

namespace fastnma {
namespace ratemean {

// Status: the per-pair codes of status.h (ratemean::Status).

struct Effect {
  double estimate = std::numeric_limits<double>::quiet_NaN();
  double variance = std::numeric_limits<double>::quiet_NaN();
  Status status = INVALID_INPUT;
};

inline Effect fail(Status s) {
  Effect out;
  out.status = s;
  return out;
}

inline Effect ok(double estimate, double variance) {
  if (!std::isfinite(estimate) || !std::isfinite(variance) || !(variance > 0)) {
    return fail(INVALID_INPUT);
  }
  Effect out;
  out.estimate = estimate;
  out.variance = variance;
  out.status = ESTIMABLE;
  return out;
}

// Incidence rate ratio of arm 1 relative to arm 2.
inline Effect irr(double e1, double t1, double c1, double e2, double t2, double c2) {
  const bool finite = std::isfinite(e1) && std::isfinite(t1) && std::isfinite(c1) &&
                      std::isfinite(e2) && std::isfinite(t2) && std::isfinite(c2);
  if (!finite || e1 < 0 || e2 < 0 || t1 <= 0 || t2 <= 0 || c1 < 0 || c2 < 0) {
    return fail(INVALID_INPUT);
  }
  const double x1 = e1 + c1, x2 = e2 + c2;
  if (x1 <= 0 || x2 <= 0) return fail(ZERO_EVENTS_UNCORRECTED);
  return ok(std::log(x1 / t1) - std::log(x2 / t2), 1 / x1 + 1 / x2);
}

// Ratio of means of arm 1 relative to arm 2.
inline Effect rom(double m1, double s1, double n1, double m2, double s2, double n2) {
  const bool finite = std::isfinite(m1) && std::isfinite(s1) && std::isfinite(n1) &&
                      std::isfinite(m2) && std::isfinite(s2) && std::isfinite(n2);
  if (!finite || s1 <= 0 || s2 <= 0 || n1 <= 0 || n2 <= 0) return fail(INVALID_INPUT);
  if (m1 <= 0 || m2 <= 0) return fail(NONPOSITIVE_MEAN);
  return ok(std::log(m1 / m2), s1 * s1 / (n1 * m1 * m1) + s2 * s2 / (n2 * m2 * m2));
}

using Effects = PairEffects;

// Arrays of pairs (all of the same length): measure 0 = IRR with arguments
// (events, time, increment) per arm, 1 = ROM with (mean, sd, n) per arm.
inline Effects effects(int measure, const std::vector<double>& a1, const std::vector<double>& b1,
                       const std::vector<double>& c1, const std::vector<double>& a2,
                       const std::vector<double>& b2, const std::vector<double>& c2) {
  return pair_effects(a1.size(), [&](std::size_t i) {
    return measure == 0 ? irr(a1[i], b1[i], c1[i], a2[i], b2[i], c2[i])
                        : rom(a1[i], b1[i], c1[i], a2[i], b2[i], c2[i]);
  });
}

}  // namespace ratemean
}  // namespace fastnma

// The effects of arrays of pairs of arms (2x2 tables in twobytwo.h, rates
// and means in ratemean.h): an estimate, its variance and a status per pair
// (the per-pair codes of status.h, 0 when estimable).
#pragma once

#include <cstddef>
#include <vector>

namespace fastnma {

struct PairEffects {
  std::vector<double> estimate, variance;
  std::vector<int> status;
};

// `effect(i)` returns the effect of pair i (with estimate, variance, status).
template <class EffectOf>
inline PairEffects pair_effects(std::size_t k, EffectOf effect) {
  PairEffects out;
  out.estimate.resize(k);
  out.variance.resize(k);
  out.status.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    const auto f = effect(i);
    out.estimate[i] = f.estimate;
    out.variance[i] = f.variance;
    out.status[i] = f.status;
  }
  return out;
}

}  // namespace fastnma

// Many networks in one call: the batch path for simulation studies and for
// analyses of several outcomes.
//
// The networks arrive as one edge list whose rows are grouped by network
// (`offset[g] .. offset[g + 1] - 1` are the rows of network g), with study
// codes local to their network and treatment codes global to the batch.
// Each network is recoded to its own treatments (in the batch's sorted
// order, which is the sorted order of the network's own treatments) and
// fitted by fit_one() of fit.h, the single fit of nma(), so that every
// number equals the fit of the network on its own. A network that cannot be
// fitted gets its status (status.h) and the batch goes on.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "fit.h"
#include "ranking.h"

namespace fastnma {

// One network of a batch, recoded: local treatment codes and the global
// code of each local treatment.
struct BatchNetwork {
  std::vector<int> study, t1, t2;
  std::vector<int> treatments;  // global codes, ascending
  int ref = -1;                 // local code of the reference, -1 if absent
};

// Rows `from .. to - 1` of the batch as a network of its own. `ref_global`
// is the global code of the reference, or -1 for the network's first
// treatment.
inline BatchNetwork batch_network(const int* study, const int* t1, const int* t2,
                                  int from, int to, int n_treat_global,
                                  int ref_global, std::vector<int>& local_of) {
  BatchNetwork bn;
  const int m = to - from;
  bn.study.resize(m);
  bn.t1.resize(m);
  bn.t2.resize(m);
  // Mark the treatments present (codes outside the range stay invalid and
  // are rejected by build_network()).
  local_of.assign(n_treat_global, -1);
  for (int i = from; i < to; ++i) {
    if (t1[i] >= 0 && t1[i] < n_treat_global) local_of[t1[i]] = 0;
    if (t2[i] >= 0 && t2[i] < n_treat_global) local_of[t2[i]] = 0;
  }
  for (int t = 0; t < n_treat_global; ++t) {
    if (local_of[t] == 0) {
      local_of[t] = static_cast<int>(bn.treatments.size());
      bn.treatments.push_back(t);
    }
  }
  auto code = [&](int t) {
    return (t >= 0 && t < n_treat_global) ? local_of[t] : -1;
  };
  for (int i = 0; i < m; ++i) {
    bn.study[i] = study[from + i];
    bn.t1[i] = code(t1[from + i]);
    bn.t2[i] = code(t2[from + i]);
  }
  if (ref_global < 0) {
    bn.ref = bn.treatments.empty() ? -1 : 0;
  } else {
    bn.ref = code(ref_global);
  }
  return bn;
}

}  // namespace fastnma

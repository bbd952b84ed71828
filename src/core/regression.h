// Network meta-regression on a study-level covariate.
//
// The contrast-based model of model.h with treatment-by-covariate
// interactions relative to the reference treatment (Cooper et al. 2009;
// Dias et al. 2013, NICE DSU TSD 3). For study s with covariate x_s and
// basic contrasts d_s (arm a_j vs the base arm a_0)
//   d_sj ~ (theta_{a_j} - theta_{a_0}) + x_s (beta_{a_j} - beta_{a_0}),
// theta_ref = beta_ref = 0, with the within-study covariance S_s and the
// heterogeneity tau^2 (I + J) / 2 of the standard model. "common": one slope
// b shared by every non-reference treatment (beta_t = b); "independent": a
// slope beta_t per non-reference treatment.
//
// The coefficient vector is (theta_t for t != ref, in treatment order; then
// the slope(s), in the same order). The design of each study is a small
// dense q_s x p matrix: a DesignModel of model.h, fitted by fit_gls() of
// fit.h, so REML, ML, DL and PM come from the one implementation of tau2.h.
#pragma once

#include "model.h"

#include <vector>

namespace fastnma {

// `x`: covariate per study (index of net.studies), already centred.
inline MatrixDesign regression_design(const Network& net, int ref,
                                      const std::vector<double>& x, bool common) {
  const int n = net.n_treat;
  const int p = (n - 1) + (common ? 1 : n - 1);
  auto g = [&](int t) { return t == ref ? -1 : (t < ref ? t : t - 1); };
  std::vector<MatrixXd> X(net.studies.size());
  for (size_t s = 0; s < net.studies.size(); ++s) {
    const Study& st = net.studies[s];
    const int q = static_cast<int>(st.d.size());
    MatrixXd Xs = MatrixXd::Zero(q, p);
    const int b = g(st.arms[0]);
    for (int j = 0; j < q; ++j) {
      const int a = g(st.arms[j + 1]);
      if (a >= 0) Xs(j, a) += 1.0;
      if (b >= 0) Xs(j, b) -= 1.0;
      if (common) {
        Xs(j, n - 1) = x[s] * ((a >= 0 ? 1.0 : 0.0) - (b >= 0 ? 1.0 : 0.0));
      } else {
        if (a >= 0) Xs(j, n - 1 + a) += x[s];
        if (b >= 0) Xs(j, n - 1 + b) -= x[s];
      }
    }
    X[s] = Xs;
  }
  return MatrixDesign(p, std::move(X));
}

}  // namespace fastnma

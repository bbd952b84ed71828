// Component network meta-analysis: the additive model and models with
// interaction terms (Rucker, Petropoulou & Schwarzer 2020).
//
// Each treatment is a combination of components, coded by a combination
// matrix A (treatments x model columns: one column per active component, plus
// one column per interaction term, the product of the columns it joins). The
// effect of treatment t relative to "nothing" is A_t beta, so the basic
// contrasts of a study with arms a_0 < ... < a_{p-1} are
//   d_s ~ N(X_s beta, S_s + tau^2 R_s),  X_s row j = A_{a_j} - A_{a_0},
// the one GLS model of model.h with this design (a DesignModel), fitted by
// fit_gls() of fit.h with the tau^2 estimators of tau2.h. Weights, the
// reduced-weights covariance of multi-arm studies and the network are those
// of the standard model, so the standard NMA is the special case A =
// treatment indicators. The network need not be connected: the model is
// identifiable when X'X is (MatrixDesign::unidentified(); the networks of
// Rucker et al. that discomb() handles).
#pragma once

#include "model.h"

#include <vector>

namespace fastnma {

// The design of the component model; `A` has one row per treatment of `net`.
inline MatrixDesign component_design(const Network& net, const MatrixXd& A) {
  const int p = static_cast<int>(A.cols());
  std::vector<MatrixXd> X;
  X.reserve(net.studies.size());
  for (const Study& st : net.studies) {
    const int q = static_cast<int>(st.d.size());
    MatrixXd Xs(q, p);
    for (int j = 0; j < q; ++j) Xs.row(j) = A.row(st.arms[j + 1]) - A.row(st.arms[0]);
    X.push_back(Xs);
  }
  return MatrixDesign(p, std::move(X));
}

}  // namespace fastnma

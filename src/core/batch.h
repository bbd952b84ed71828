// Many networks in one call: the batch path for simulation studies and for
// analyses of several outcomes.
//
// The networks arrive as one edge list whose rows are grouped by network
// (`offset[g] .. offset[g + 1] - 1` are the rows of network g), with study
// codes local to their network and treatment codes global to the batch.
// Each network is recoded to its own treatments (in the batch's sorted
// order, which is the sorted order of the network's own treatments) and
// fitted with the per-network routines of the core: build_network(),
// components(), Model::evaluate(), Model::covariance(), estimate_tau2() and
// within_designs(), the same calls, in the same order, as the single fit of
// nma(), so that every number equals the fit of the network on its own.
// A network that cannot be fitted gets its status code (the codes of
// build_network() and of the single fit) and the batch goes on.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "decomp.h"
#include "ranking.h"
#include "tau2.h"

namespace fastnma {

// The single fit of one network: everything nma() reports.
struct FitOne {
  int status = OK;         // 0, a build_network() code, 7 disconnected,
                           // 8 singular, 11 not finite
  BuildResult problem;     // where status is a build problem
  std::vector<int> components;  // where status is 7
  Network net;
  int df = 0;
  VectorXd theta_common, theta_random;
  MatrixXd cov_common, cov_random;
  double Q = 0.0, Q_random = 0.0;
  Tau2Estimate tau2;
  double loglik_ml = 0.0, loglik_reml = 0.0;
  WithinDesigns within;
};

inline void fit_built(const Network& net, int ref, const std::string& method,
                      double tol_tau2, double tau2_preset, FitOne& out);

// Fit one network given 0-based codes: the steps of the single fit.
// `tau2_preset` >= 0 fixes tau^2.
inline FitOne fit_one(const std::vector<int>& study, const std::vector<int>& t1,
                      const std::vector<int>& t2, const double* y, const double* se,
                      int n_study, int n_treat, int ref, const std::string& method,
                      double tol_multiarm, double tol_tau2, double tau2_preset) {
  FitOne out;
  out.problem = build_network(study, t1, t2, y, se, n_study, n_treat, tol_multiarm,
                              out.net);
  if (out.problem.code != OK) {
    out.status = out.problem.code;
    return out;
  }
  fit_built(out.net, ref, method, tol_tau2, tau2_preset, out);
  return out;
}

// Fit a network already built (`net` is read, never copied into `out`):
// the steps of the single fit after build_network().
inline void fit_built(const Network& net, int ref, const std::string& method,
                      double tol_tau2, double tau2_preset, FitOne& out) {
  const int n_treat = net.n_treat;
  out.components = components(net);
  int n_comp = 1 + *std::max_element(out.components.begin(), out.components.end());
  if (n_comp > 1) {
    out.status = 7;
    return;
  }
  Model model(net, ref);
  out.df = net.n_obs - (n_treat - 1);

  // The estimators leave their evaluations and inverses at 0 and at the
  // estimate in `cache`; what they did not compute is computed here.
  Tau2Cache cache;
  if (tau2_preset >= 0.0) {
    out.tau2.tau2 = tau2_preset;
    out.tau2.boundary = tau2_preset == 0.0;
  } else {
    out.tau2 = estimate_tau2(model, method, tol_tau2, &cache);
  }
  Evaluation common;
  if (cache.have0) {
    common = cache.ev0;
    out.cov_common = model.expand(cache.G0);
  } else {
    Eigen::LLT<MatrixXd> llt0;
    common = model.evaluate(0.0, &llt0);
    if (common.ok) out.cov_common = model.covariance(llt0);
  }
  if (!common.ok) {
    out.status = 8;
    return;
  }
  Evaluation random;
  if (cache.have1 && cache.ev1.tau2 == out.tau2.tau2) {
    random = cache.ev1;
    out.cov_random = model.expand(cache.G1);
  } else if (out.tau2.tau2 == 0.0) {
    random = common;
    out.cov_random = out.cov_common;
  } else {
    Eigen::LLT<MatrixXd> llt1;
    random = model.evaluate(out.tau2.tau2, &llt1);
    if (random.ok) out.cov_random = model.covariance(llt1);
  }
  if (!random.ok) {
    out.status = 8;
    return;
  }
  // Numbers that overflowed double precision (extreme but finite inputs)
  // are reported, never returned.
  if (!std::isfinite(common.Q) || !std::isfinite(random.Q) ||
      !std::isfinite(out.tau2.tau2) || !common.theta.allFinite() ||
      !random.theta.allFinite() || !out.cov_common.allFinite() ||
      !out.cov_random.allFinite()) {
    out.status = 11;
    return;
  }
  out.theta_common = common.theta;
  out.theta_random = random.theta;
  out.Q = common.Q;
  out.Q_random = random.Q;
  out.loglik_ml = model.loglik_ml(random);
  out.loglik_reml = model.loglik_reml(random);
  out.within = within_designs(net, 0.0);
}

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

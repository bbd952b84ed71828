// The fit: evaluate the model at tau^2 = 0 (common effect), estimate tau^2,
// evaluate at the estimate (random effects) and check that every number is
// finite, written once for every model (fit_gls()), and the single fit of a
// network from its edge list (fit_one()), which nma() and the batch path of
// batch.h use.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "decomp.h"
#include "tau2.h"

namespace fastnma {

// Both models of one fit. `status` is OK, SINGULAR or NOT_FINITE.
struct GlsFit {
  int status = OK;
  Tau2Estimate tau2;
  Evaluation common, random;
  MatrixXd cov_common, cov_random;
};

// Fit a model (Model or DesignModel) with common and random effects.
// `tau2_preset` >= 0 fixes tau^2; otherwise `method` estimates it.
template <class ModelT>
inline GlsFit fit_gls(const ModelT& model, const std::string& method, double tol_tau2,
                      double tau2_preset) {
  GlsFit out;
  // The estimators leave their evaluations and inverses at 0 and at the
  // estimate in `cache`; what they did not compute is computed here.
  Tau2Cache cache;
  if (tau2_preset >= 0.0) {
    out.tau2.tau2 = tau2_preset;
    out.tau2.boundary = tau2_preset == 0.0;
  } else {
    out.tau2 = estimate_tau2(model, method, tol_tau2, &cache);
  }
  if (cache.have0) {
    out.common = cache.ev0;
    out.cov_common = model.expand(cache.G0);
  } else if (cache.have_llt0) {
    out.common = cache.ev0;
    out.cov_common = model.covariance(cache.llt0);
  } else {
    Eigen::LLT<MatrixXd> llt0;
    out.common = model.evaluate(0.0, &llt0);
    if (out.common.ok) out.cov_common = model.covariance(llt0);
  }
  if (!out.common.ok) {
    out.status = SINGULAR;
    return out;
  }
  if (cache.have1 && cache.ev1.tau2 == out.tau2.tau2) {
    out.random = cache.ev1;
    out.cov_random = model.expand(cache.G1);
  } else if (out.tau2.tau2 == 0.0) {
    out.random = out.common;
    out.cov_random = out.cov_common;
  } else {
    Eigen::LLT<MatrixXd> llt1;
    out.random = model.evaluate(out.tau2.tau2, &llt1);
    if (out.random.ok) out.cov_random = model.covariance(llt1);
  }
  if (!out.random.ok) {
    out.status = SINGULAR;
    return out;
  }
  // Numbers that overflowed double precision (extreme but finite inputs)
  // are reported, never returned.
  if (!std::isfinite(out.common.Q) || !std::isfinite(out.random.Q) ||
      !std::isfinite(out.tau2.tau2) || !out.common.theta.allFinite() ||
      !out.random.theta.allFinite() || !out.cov_common.allFinite() ||
      !out.cov_random.allFinite()) {
    out.status = NOT_FINITE;
  }
  return out;
}

// The single fit of one network: everything nma() reports.
struct FitOne {
  int status = OK;         // OK, a build_network() code, DISCONNECTED,
                           // SINGULAR or NOT_FINITE (status.h)
  BuildResult problem;     // where status is a build problem
  std::vector<int> components;  // where status is DISCONNECTED
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
    out.status = DISCONNECTED;
    return;
  }
  Model model(net, ref);
  out.df = net.n_obs - (n_treat - 1);

  GlsFit fit = fit_gls(model, method, tol_tau2, tau2_preset);
  out.tau2 = fit.tau2;
  if (fit.status != OK) {
    out.status = fit.status;
    return;
  }
  const Evaluation& common = fit.common;
  const Evaluation& random = fit.random;
  out.cov_common = std::move(fit.cov_common);
  out.cov_random = std::move(fit.cov_random);
  out.theta_common = common.theta;
  out.theta_random = random.theta;
  out.Q = common.Q;
  out.Q_random = random.Q;
  out.loglik_ml = model.loglik_ml(random);
  out.loglik_reml = model.loglik_reml(random);
  out.within = within_designs(net, 0.0);
}

}  // namespace fastnma

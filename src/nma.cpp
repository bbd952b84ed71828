// Thin Rcpp wrapper around the NMA core (src/core/*.h).
#include <cmath>

#include <Rcpp.h>
#include <RcppEigen.h>

#include "core/decomp.h"
#include "core/tau2.h"
#include "wrap.h"

using namespace fastnma;

namespace {

Rcpp::NumericMatrix to_r(const MatrixXd& m) {
  Rcpp::NumericMatrix out(m.rows(), m.cols());
  std::copy(m.data(), m.data() + m.size(), out.begin());
  return out;
}

Rcpp::NumericVector to_r(const VectorXd& v) {
  return Rcpp::NumericVector(v.data(), v.data() + v.size());
}

}  // namespace

// Builds the network, reports the first input problem (1-based indices), or
// fits the common-effect and random-effects models.
// [[Rcpp::export]]
Rcpp::List nma_fit_cpp(Rcpp::IntegerVector study, Rcpp::IntegerVector t1,
                       Rcpp::IntegerVector t2, Rcpp::NumericVector y,
                       Rcpp::NumericVector se, int n_study, int n_treat,
                       int ref, std::string method, double tol_multiarm,
                       double tol_tau2, double tau2_preset) {
  Network net;
  std::vector<int> s0 = zero_based(study), a0 = zero_based(t1), b0 = zero_based(t2);
  BuildResult br = build_network(s0, a0, b0, y.begin(), se.begin(), n_study,
                                 n_treat, tol_multiarm, net);
  if (br.code != OK) return problem_list(br);
  std::vector<int> comp = components(net);
  int n_comp = 1 + *std::max_element(comp.begin(), comp.end());
  if (n_comp > 1) {
    Rcpp::IntegerVector cr(comp.begin(), comp.end());
    cr = cr + 1;
    return Rcpp::List::create(Rcpp::Named("status") = 7,
                              Rcpp::Named("components") = cr);
  }

  Model model(net, ref - 1);
  const int df = net.n_obs - (n_treat - 1);

  // The estimators leave their evaluations and inverses at 0 and at the
  // estimate in `cache`; what they did not compute is computed here.
  Tau2Cache cache;
  Tau2Estimate te;
  if (tau2_preset >= 0.0) {
    te.tau2 = tau2_preset;
    te.boundary = tau2_preset == 0.0;
  } else {
    te = estimate_tau2(model, method, tol_tau2, &cache);
  }
  Evaluation common;
  MatrixXd cov0;
  if (cache.have0) {
    common = cache.ev0;
    cov0 = model.expand(cache.G0);
  } else {
    Eigen::LLT<MatrixXd> llt0;
    common = model.evaluate(0.0, &llt0);
    if (common.ok) cov0 = model.covariance(llt0);
  }
  if (!common.ok) {
    return Rcpp::List::create(Rcpp::Named("status") = 8);
  }

  Evaluation random;
  MatrixXd cov1;
  if (cache.have1 && cache.ev1.tau2 == te.tau2) {
    random = cache.ev1;
    cov1 = model.expand(cache.G1);
  } else if (te.tau2 == 0.0) {
    random = common;
    cov1 = cov0;
  } else {
    Eigen::LLT<MatrixXd> llt1;
    random = model.evaluate(te.tau2, &llt1);
    if (random.ok) cov1 = model.covariance(llt1);
  }
  if (!random.ok) {
    return Rcpp::List::create(Rcpp::Named("status") = 8);
  }
  // Numbers that overflowed double precision (extreme but finite inputs)
  // are reported, never returned.
  if (!std::isfinite(common.Q) || !std::isfinite(random.Q) || !std::isfinite(te.tau2) ||
      !common.theta.allFinite() || !random.theta.allFinite() || !cov0.allFinite() ||
      !cov1.allFinite()) {
    return Rcpp::List::create(Rcpp::Named("status") = 11);
  }

  WithinDesigns wd = within_designs(net, 0.0);

  // Designs as flat 1-based arm lists.
  std::vector<int> design_of(net.studies.size());
  for (size_t s = 0; s < net.studies.size(); ++s) design_of[s] = net.studies[s].design + 1;
  Rcpp::List design_arms(net.designs.size());
  for (size_t d = 0; d < net.designs.size(); ++d) {
    Rcpp::IntegerVector a(net.designs[d].begin(), net.designs[d].end());
    design_arms[d] = a + 1;
  }
  std::vector<int> n_arms(net.studies.size());
  for (size_t s = 0; s < net.studies.size(); ++s) n_arms[s] = net.studies[s].arms.size();

  Rcpp::List out;
  out["status"] = 0;
  out["theta_common"] = to_r(common.theta);
  out["cov_common"] = to_r(cov0);
  out["Q"] = common.Q;
  out["df"] = df;
  out["tau2"] = te.tau2;
  out["tau2_iterations"] = te.iterations;
  out["tau2_converged"] = te.converged;
  out["tau2_boundary"] = te.boundary;
  out["tau2_identifiable"] = te.identifiable;
  out["theta_random"] = to_r(random.theta);
  out["cov_random"] = to_r(cov1);
  out["Q_random"] = random.Q;
  out["loglik_ml"] = model.loglik_ml(random);
  out["loglik_reml"] = model.loglik_reml(random);
  out["Q_within"] = wd.Q_total;
  out["df_within"] = wd.df_total;
  out["Q_design"] = to_r(wd.Q);
  out["df_design"] = Rcpp::IntegerVector(wd.df.data(), wd.df.data() + wd.df.size());
  out["design"] = Rcpp::IntegerVector(design_of.begin(), design_of.end());
  out["design_arms"] = design_arms;
  out["n_arms"] = Rcpp::IntegerVector(n_arms.begin(), n_arms.end());
  out["n_obs"] = net.n_obs;
  return out;
}

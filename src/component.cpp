// Thin Rcpp wrapper around the component NMA core (src/core/component.h).
#include <cmath>

#include "core/component.h"
#include "core/fit.h"
#include "fit_options.h"

using namespace fastnma;

// Takes the compiled network of an R network object (connected or not),
// checks that the columns of the combination matrix `A` (treatments x model
// columns) are identified, fits the component model with common and random
// effects, and the standard model (treatment indicators within each
// connected part) for the test of the component model against it. Options:
// `method`, `tol_tau2`, `tau2_preset` (< 0: estimate). Status UNIDENTIFIED:
// unidentified model columns.
// [[Rcpp::export]]
Rcpp::List component_fit_cpp(Rcpp::List network, Rcpp::NumericMatrix A, Rcpp::List opts) {
  const FitOptions o = fit_options(opts);
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return problem_list(rn.br);
  const Network& net = rn.net();
  const int n_treat = net.n_treat;
  if (A.nrow() != n_treat || A.ncol() < 1) {
    return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(BAD_INDEX));
  }
  Eigen::Map<MatrixXd> Am(A.begin(), A.nrow(), A.ncol());
  MatrixXd Amat = Am;
  DesignModel cm(net, component_design(net, Amat));
  std::vector<int> bad = cm.design().unidentified();
  if (!bad.empty()) {
    Rcpp::IntegerVector b(bad.begin(), bad.end());
    return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(UNIDENTIFIED),
                              Rcpp::Named("unidentified") = b + 1);
  }

  // The standard model: one effect per treatment, grounded at the first
  // treatment of each connected part.
  std::vector<int> comp = components(net);
  const int n_parts = 1 + *std::max_element(comp.begin(), comp.end());
  std::vector<bool> grounded(n_parts, false);
  std::vector<int> col(n_treat, -1);
  int n_std = 0;
  for (int t = 0; t < n_treat; ++t) {
    if (!grounded[comp[t]]) { grounded[comp[t]] = true; continue; }
    col[t] = n_std++;
  }
  MatrixXd Astd = MatrixXd::Zero(n_treat, std::max(n_std, 1));
  for (int t = 0; t < n_treat; ++t) if (col[t] >= 0) Astd(t, col[t]) = 1.0;
  double Q_std = NA_REAL;
  if (n_std > 0) {
    DesignModel sm(net, component_design(net, Astd), false);  // Q only
    Evaluation es = sm.evaluate(0.0);
    if (es.ok) Q_std = es.Q;
  }
  const int df_std = net.n_obs - n_std;

  const int df = net.n_obs - cm.n_coef();
  GlsFit fit = fit_gls(cm, o.method, o.tol_tau2, o.tau2_preset);
  if (fit.status != OK) return Rcpp::List::create(Rcpp::Named("status") = fit.status);
  const Evaluation& common = fit.common;
  const Evaluation& random = fit.random;
  const Tau2Estimate& te = fit.tau2;

  // Effects of every treatment (combination) relative to no component.
  VectorXd comb0 = Amat * common.theta, comb1 = Amat * random.theta;
  MatrixXd ccov0 = Amat * fit.cov_common * Amat.transpose();
  MatrixXd ccov1 = Amat * fit.cov_random * Amat.transpose();

  Rcpp::List out;
  out["status"] = static_cast<int>(OK);
  out["beta_common"] = to_r(common.theta);
  out["cov_common"] = to_r(fit.cov_common);
  out["beta_random"] = to_r(random.theta);
  out["cov_random"] = to_r(fit.cov_random);
  out["comb_common"] = to_r(comb0);
  out["comb_cov_common"] = to_r(ccov0);
  out["comb_random"] = to_r(comb1);
  out["comb_cov_random"] = to_r(ccov1);
  out["Q"] = common.Q;
  out["df"] = df;
  out["Q_random"] = random.Q;
  out["Q_standard"] = Q_std;
  out["df_standard"] = df_std;
  out["tau2"] = te.tau2;
  out["tau2_iterations"] = te.iterations;
  out["tau2_converged"] = te.converged;
  out["tau2_boundary"] = te.boundary;
  out["tau2_identifiable"] = te.identifiable;
  out["loglik_ml"] = cm.loglik_ml(random);
  out["loglik_reml"] = cm.loglik_reml(random);
  out["n_obs"] = net.n_obs;
  out["n_parts"] = n_parts;
  out["parts"] = Rcpp::IntegerVector(comp.begin(), comp.end()) + 1;
  return out;
}

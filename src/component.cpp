// Thin Rcpp wrapper around the component NMA core (src/core/component.h).
#include <cmath>

#include "core/component.h"
#include "network_handle.h"

using namespace fastnma;

// Takes the compiled network of an R network object (connected or not),
// checks that the columns of the combination matrix `A` (treatments x model
// columns) are identified, fits the component model with common and random
// effects, and the standard model (treatment indicators within each
// connected part) for the test of the component model against it. Options:
// `method`, `tol_tau2`, `tau2_preset` (< 0: estimate). Status 30:
// unidentified model columns.
// [[Rcpp::export]]
Rcpp::List component_fit_cpp(Rcpp::List network, Rcpp::NumericMatrix A, Rcpp::List opts) {
  const std::string method = opt<std::string>(opts, "method");
  const double tol_tau2 = opt<double>(opts, "tol_tau2");
  const double tau2_preset = opt<double>(opts, "tau2_preset");
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return problem_list(rn.br);
  const Network& net = rn.net();
  const int n_treat = net.n_treat;
  if (A.nrow() != n_treat || A.ncol() < 1) {
    return Rcpp::List::create(Rcpp::Named("status") = 20);
  }
  Eigen::Map<MatrixXd> Am(A.begin(), A.nrow(), A.ncol());
  MatrixXd Amat = Am;
  ComponentModel cm(net, Amat);
  std::vector<int> bad = cm.unidentified();
  if (!bad.empty()) {
    Rcpp::IntegerVector b(bad.begin(), bad.end());
    return Rcpp::List::create(Rcpp::Named("status") = 30,
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
    ComponentModel sm(net, Astd);
    ComponentEvaluation es = sm.evaluate(0.0, false);
    if (es.ok) Q_std = es.Q;
  }
  const int df_std = net.n_obs - n_std;

  const int p = cm.p();
  const int df = net.n_obs - p;
  ComponentEvaluation common = cm.evaluate(0.0);
  if (!common.ok) return Rcpp::List::create(Rcpp::Named("status") = 8);

  Tau2Estimate te;
  if (tau2_preset >= 0.0) {
    te.tau2 = tau2_preset;
    te.boundary = tau2_preset == 0.0;
  } else {
    te = component_tau2(cm, method, common.Q, df, tol_tau2);
  }
  ComponentEvaluation random = cm.evaluate(te.tau2);
  if (!random.ok) return Rcpp::List::create(Rcpp::Named("status") = 8);
  if (!std::isfinite(te.tau2) || !common.cov.allFinite() || !random.cov.allFinite()) {
    return Rcpp::List::create(Rcpp::Named("status") = 11);
  }

  // Effects of every treatment (combination) relative to no component.
  VectorXd comb0 = Amat * common.beta, comb1 = Amat * random.beta;
  MatrixXd ccov0 = Amat * common.cov * Amat.transpose();
  MatrixXd ccov1 = Amat * random.cov * Amat.transpose();

  Rcpp::List out;
  out["status"] = 0;
  out["beta_common"] = r_vec(common.beta);
  out["cov_common"] = r_mat(common.cov);
  out["beta_random"] = r_vec(random.beta);
  out["cov_random"] = r_mat(random.cov);
  out["comb_common"] = r_vec(comb0);
  out["comb_cov_common"] = r_mat(ccov0);
  out["comb_random"] = r_vec(comb1);
  out["comb_cov_random"] = r_mat(ccov1);
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

// Thin Rcpp wrapper around the network meta-regression core
// (src/core/regression.h), with the tau^2 estimators of src/core/tau2.h.
#include <cmath>

#include "core/regression.h"
#include "core/tau2.h"
#include "network_handle.h"

using namespace fastnma;

// Fits the meta-regression on the compiled network of an R network object
// with the covariate `x` (one value per study, already centred): the
// common-effect model (tau^2 = 0) and the random-effects model at the
// estimated (or, with tau2_preset >= 0, preset) tau^2. Options: `ref`
// (1-based), `common` (one slope for all treatments), `method`, `tol_tau2`,
// `tau2_preset`. `core_status`: 0 success, 8 singular system, 10 the
// network could not be rebuilt, 11 not finite. With a design that does not
// identify every coefficient, `estimable` is FALSE and nothing is fitted.
// [[Rcpp::export]]
Rcpp::List nma_regression_cpp(Rcpp::List network, Rcpp::NumericVector x, Rcpp::List opts) {
  const int ref = opt<int>(opts, "ref");
  const bool common = opt<bool>(opts, "common");
  const std::string method = opt<std::string>(opts, "method");
  const double tol_tau2 = opt<double>(opts, "tol_tau2");
  const double tau2_preset = opt<double>(opts, "tau2_preset");
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) {
    return Rcpp::List::create(Rcpp::Named("core_status") = 10,
                              Rcpp::Named("problem") = rn.br.code,
                              Rcpp::Named("study") = rn.br.study + 1);
  }
  const Network& net = rn.net();
  std::vector<double> xs(x.begin(), x.end());
  RegressionModel model(net, ref - 1, xs, common);
  if (!model.estimable()) {
    return Rcpp::List::create(Rcpp::Named("core_status") = 0,
                              Rcpp::Named("estimable") = false,
                              Rcpp::Named("rank") = model.rank(),
                              Rcpp::Named("n_coef") = model.n_coef(),
                              Rcpp::Named("n_obs") = net.n_obs);
  }
  const int df = net.n_obs - model.n_coef();

  Eigen::LLT<MatrixXd> llt0;
  Evaluation ev0 = model.evaluate(0.0, &llt0);
  if (!ev0.ok) return Rcpp::List::create(Rcpp::Named("core_status") = 8);
  MatrixXd cov0 = model.covariance(llt0);

  Tau2Estimate te;
  if (tau2_preset >= 0.0) {
    te.tau2 = tau2_preset;
    te.boundary = tau2_preset == 0.0;
  } else {
    te = estimate_tau2(model, method, tol_tau2);
  }
  Eigen::LLT<MatrixXd> llt1;
  Evaluation ev1 = model.evaluate(te.tau2, &llt1);
  if (!ev1.ok) return Rcpp::List::create(Rcpp::Named("core_status") = 8);
  MatrixXd cov1 = model.covariance(llt1);
  if (!std::isfinite(ev0.Q) || !std::isfinite(ev1.Q) || !std::isfinite(te.tau2) ||
      !ev0.theta.allFinite() || !ev1.theta.allFinite() || !cov0.allFinite() ||
      !cov1.allFinite()) {
    return Rcpp::List::create(Rcpp::Named("core_status") = 11);
  }

  Rcpp::List out;
  out["core_status"] = 0;
  out["estimable"] = true;
  out["n_coef"] = model.n_coef();
  out["n_obs"] = net.n_obs;
  out["df"] = df;
  out["coef_common"] = r_vec(ev0.theta);
  out["cov_common"] = r_mat(cov0);
  out["Q"] = ev0.Q;
  out["loglik_ml_common"] = model.loglik_ml(ev0);
  out["loglik_reml_common"] = model.loglik_reml(ev0);
  out["tau2"] = te.tau2;
  out["tau2_iterations"] = te.iterations;
  out["tau2_converged"] = te.converged;
  out["tau2_boundary"] = te.boundary;
  out["tau2_identifiable"] = te.identifiable;
  out["coef_random"] = r_vec(ev1.theta);
  out["cov_random"] = r_mat(cov1);
  out["Q_random"] = ev1.Q;
  out["loglik_ml"] = model.loglik_ml(ev1);
  out["loglik_reml"] = model.loglik_reml(ev1);
  return out;
}

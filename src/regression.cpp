// Thin Rcpp wrapper around the network meta-regression core
// (src/core/regression.h), with the tau^2 estimators of src/core/tau2.h.
#include <cmath>

#include <Rcpp.h>
#include <RcppEigen.h>

#include "core/regression.h"
#include "core/tau2.h"
#include "wrap.h"

using namespace fastnma;

namespace {

Rcpp::NumericMatrix reg_mat(const MatrixXd& m) {
  Rcpp::NumericMatrix out(m.rows(), m.cols());
  std::copy(m.data(), m.data() + m.size(), out.begin());
  return out;
}

Rcpp::NumericVector reg_vec(const VectorXd& v) {
  return Rcpp::NumericVector(v.data(), v.data() + v.size());
}

}  // namespace

// Rebuilds the fit's network from its codes and fits the meta-regression
// with the covariate `x` (one value per study, already centred): the
// common-effect model (tau^2 = 0) and the random-effects model at the
// estimated (or, with tau2_preset >= 0, preset) tau^2. `status` (status.h):
// OK, SINGULAR, REBUILD (the network could not be rebuilt; `problem` is the
// build problem) or NOT_FINITE. With a design that does not identify every coefficient,
// `estimable` is FALSE and nothing is fitted.
// [[Rcpp::export]]
Rcpp::List nma_regression_cpp(Rcpp::IntegerVector study, Rcpp::IntegerVector t1,
                              Rcpp::IntegerVector t2, Rcpp::NumericVector y,
                              Rcpp::NumericVector se, int n_study, int n_treat,
                              int ref, Rcpp::NumericVector x, bool common,
                              std::string method, double tol_multiarm,
                              double tol_tau2, double tau2_preset) {
  Network net;
  std::vector<int> s0 = zero_based(study), a0 = zero_based(t1), b0 = zero_based(t2);
  BuildResult br = build_network(s0, a0, b0, y.begin(), se.begin(), n_study,
                                 n_treat, tol_multiarm, net);
  if (br.code != OK) {
    return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(REBUILD),
                              Rcpp::Named("problem") = br.code,
                              Rcpp::Named("study") = br.study + 1);
  }
  std::vector<double> xs(x.begin(), x.end());
  RegressionModel model(net, ref - 1, xs, common);
  if (!model.estimable()) {
    return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(OK),
                              Rcpp::Named("estimable") = false,
                              Rcpp::Named("rank") = model.rank(),
                              Rcpp::Named("n_coef") = model.n_coef(),
                              Rcpp::Named("n_obs") = net.n_obs);
  }
  const int df = net.n_obs - model.n_coef();

  Eigen::LLT<MatrixXd> llt0;
  Evaluation ev0 = model.evaluate(0.0, &llt0);
  if (!ev0.ok) return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(SINGULAR));
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
  if (!ev1.ok) return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(SINGULAR));
  MatrixXd cov1 = model.covariance(llt1);
  if (!std::isfinite(ev0.Q) || !std::isfinite(ev1.Q) || !std::isfinite(te.tau2) ||
      !ev0.theta.allFinite() || !ev1.theta.allFinite() || !cov0.allFinite() ||
      !cov1.allFinite()) {
    return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(NOT_FINITE));
  }

  Rcpp::List out;
  out["status"] = static_cast<int>(OK);
  out["estimable"] = true;
  out["n_coef"] = model.n_coef();
  out["n_obs"] = net.n_obs;
  out["df"] = df;
  out["coef_common"] = reg_vec(ev0.theta);
  out["cov_common"] = reg_mat(cov0);
  out["Q"] = ev0.Q;
  out["loglik_ml_common"] = model.loglik_ml(ev0);
  out["loglik_reml_common"] = model.loglik_reml(ev0);
  out["tau2"] = te.tau2;
  out["tau2_iterations"] = te.iterations;
  out["tau2_converged"] = te.converged;
  out["tau2_boundary"] = te.boundary;
  out["tau2_identifiable"] = te.identifiable;
  out["coef_random"] = reg_vec(ev1.theta);
  out["cov_random"] = reg_mat(cov1);
  out["Q_random"] = ev1.Q;
  out["loglik_ml"] = model.loglik_ml(ev1);
  out["loglik_reml"] = model.loglik_reml(ev1);
  return out;
}

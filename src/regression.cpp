// Thin Rcpp wrapper around the network meta-regression core
// (src/core/regression.h), fitted by fit_gls() of src/core/fit.h.
#include <cmath>

#include "core/fit.h"
#include "core/regression.h"
#include "network_handle.h"

using namespace fastnma;

// Fits the meta-regression on the compiled network of an R network object
// with the covariate `x` (one value per study, already centred): the
// common-effect model (tau^2 = 0) and the random-effects model at the
// estimated (or, with tau2_preset >= 0, preset) tau^2. Options: `ref`
// (1-based), `common` (one slope for all treatments), `method`, `tol_tau2`,
// `tau2_preset`. `status` (status.h): OK, SINGULAR, REBUILD (the network
// could not be rebuilt; `problem` is the build problem) or NOT_FINITE. With a design that does not
// identify every coefficient, `estimable` is FALSE and nothing is fitted.
// [[Rcpp::export]]
Rcpp::List nma_regression_cpp(Rcpp::List network, Rcpp::NumericVector x, Rcpp::List opts) {
  const int ref = opt<int>(opts, "ref");
  const bool common = opt<bool>(opts, "common");
  const std::string method = opt<std::string>(opts, "method");
  const double tol_tau2 = opt<double>(opts, "tol_tau2");
  const double tau2_preset = opt<double>(opts, "tau2_preset");
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return rebuild_failure(rn);
  const Network& net = rn.net();
  std::vector<double> xs(x.begin(), x.end());
  DesignModel model(net, regression_design(net, ref - 1, xs, common));
  const int rank = model.design().rank();
  if (rank < model.n_coef()) {
    return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(OK),
                              Rcpp::Named("estimable") = false,
                              Rcpp::Named("rank") = rank,
                              Rcpp::Named("n_coef") = model.n_coef(),
                              Rcpp::Named("n_obs") = net.n_obs);
  }
  const int df = net.n_obs - model.n_coef();
  GlsFit fit = fit_gls(model, method, tol_tau2, tau2_preset);
  if (fit.status != OK) return Rcpp::List::create(Rcpp::Named("status") = fit.status);

  Rcpp::List out;
  out["status"] = static_cast<int>(OK);
  out["estimable"] = true;
  out["n_coef"] = model.n_coef();
  out["n_obs"] = net.n_obs;
  out["df"] = df;
  out["coef_common"] = to_r(fit.common.theta);
  out["cov_common"] = to_r(fit.cov_common);
  out["Q"] = fit.common.Q;
  out["loglik_ml_common"] = model.loglik_ml(fit.common);
  out["loglik_reml_common"] = model.loglik_reml(fit.common);
  out["tau2"] = fit.tau2.tau2;
  out["tau2_iterations"] = fit.tau2.iterations;
  out["tau2_converged"] = fit.tau2.converged;
  out["tau2_boundary"] = fit.tau2.boundary;
  out["tau2_identifiable"] = fit.tau2.identifiable;
  out["coef_random"] = to_r(fit.random.theta);
  out["cov_random"] = to_r(fit.cov_random);
  out["Q_random"] = fit.random.Q;
  out["loglik_ml"] = model.loglik_ml(fit.random);
  out["loglik_reml"] = model.loglik_reml(fit.random);
  return out;
}

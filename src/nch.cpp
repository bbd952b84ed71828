// Thin Rcpp wrapper around the non-central hypergeometric NMA core
// (src/core/nch.h).
#include "core/nch.h"
#include "wrap.h"

using fastnma::zero_based;

// `data`: study and treatment (1-based codes), events and n per arm,
// n_study, n_treat. `options`: likelihood (0 = exact NCH, 1 = binomial
// approximation), ref (1-based), max_iter, tol. Returns the fit with 1-based
// indices, or a status > 0.
// [[Rcpp::export]]
Rcpp::List nch_fit_cpp(Rcpp::List data, Rcpp::List options) {
  Rcpp::NumericVector ev = data["events"], nn = data["n"];
  std::vector<double> e(ev.begin(), ev.end()), n(nn.begin(), nn.end());
  std::vector<int> study = zero_based(data["study"]);
  std::vector<int> treat = zero_based(data["treat"]);
  const int n_study = Rcpp::as<int>(data["n_study"]);
  const int n_treat = Rcpp::as<int>(data["n_treat"]);
  const size_t m = study.size();
  if (treat.size() != m || e.size() != m || n.size() != m) {
    Rcpp::stop("nch_fit_cpp: arm vectors of unequal length");
  }
  for (size_t i = 0; i < m; ++i) {
    if (study[i] < 0 || study[i] >= n_study || treat[i] < 0 || treat[i] >= n_treat) {
      return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(fastnma::BAD_INDEX));
    }
  }
  fastnma::nch::Options opt;
  opt.likelihood = Rcpp::as<int>(options["likelihood"]);
  opt.ref = Rcpp::as<int>(options["ref"]) - 1;
  opt.max_iter = Rcpp::as<int>(options["max_iter"]);
  opt.tol = Rcpp::as<double>(options["tol"]);
  fastnma::nch::Result res = fastnma::nch::fit(study, treat, e, n, n_study, n_treat, opt);

  Rcpp::List out = fastnma::arm_fit_head(res);
  out["study_info"] = Rcpp::IntegerVector(res.study_info.begin(), res.study_info.end());
  if (res.status != fastnma::OK) return out;
  out["ref"] = res.ref + 1;
  out["theta"] = fastnma::to_r(res.theta);
  out["cov"] = fastnma::to_r(res.cov);
  out["loglik"] = res.loglik;
  out["iterations"] = res.iterations;
  out["converged"] = res.converged;
  out["n_obs"] = res.n_obs;
  return out;
}

// Thin Rcpp wrapper around the one-stage binomial-normal network
// meta-analysis (src/core/glmm.h): nma_binary(method = "GLMM").
#include "core/glmm.h"
#include "wrap.h"

using fastnma::opt;

namespace {

Rcpp::List fit_list(const fastnma::glmm::Fit& f) {
  return Rcpp::List::create(
      Rcpp::Named("status") = f.status, Rcpp::Named("iterations") = f.iterations,
      Rcpp::Named("loglik") = f.loglik, Rcpp::Named("tau") = f.tau,
      Rcpp::Named("d") = fastnma::to_r(f.d), Rcpp::Named("cov") = fastnma::to_r(f.cov_d),
      Rcpp::Named("alpha") = fastnma::to_r(f.alpha),
      Rcpp::Named("se_alpha") = fastnma::to_r(f.se_alpha));
}

}  // namespace

// `data`: arms sorted by study, each study's baseline arm first: `study`
// (1-based, consecutive), `treat` (1-based), `events`, `n`, and `n_treat`,
// `ref` (1-based). `opts`: `n_agq`, `profile`, `crit` (chi-square(1)
// quantile of the interval of tau^2), optionally `tau_fixed` (the
// "random" part then is the profile at that tau, without interval).
// [[Rcpp::export]]
Rcpp::List glmm_fit_cpp(Rcpp::List data, Rcpp::List opts) {
  Rcpp::IntegerVector study = fastnma::list_get(data, "study");
  Rcpp::IntegerVector treat = fastnma::list_get(data, "treat");
  Rcpp::NumericVector events = fastnma::list_get(data, "events");
  Rcpp::NumericVector size = fastnma::list_get(data, "n");
  const int n_treat = opt<int>(data, "n_treat");
  const int ref = opt<int>(data, "ref") - 1;
  const R_xlen_t m = study.size();
  if (treat.size() != m || events.size() != m || size.size() != m || ref < 0 ||
      ref >= n_treat) {
    Rcpp::stop("glmm_fit_cpp: arguments of unequal length or reference out of range");
  }
  std::vector<fastnma::glmm::Study> studies;
  int last = -1;
  for (R_xlen_t r = 0; r < m; ++r) {
    if (treat[r] < 1 || treat[r] > n_treat) Rcpp::stop("glmm_fit_cpp: treatment out of range");
    if (study[r] != last) {
      studies.emplace_back();
      last = study[r];
    }
    auto& s = studies.back();
    s.treat.push_back(treat[r] - 1);
    s.e.push_back(events[r]);
    s.n.push_back(size[r]);
  }
  fastnma::glmm::Options o;
  o.n_agq = opt<int>(opts, "n_agq");
  if (o.n_agq < 1 || o.n_agq > 50) Rcpp::stop("glmm_fit_cpp: n_agq must be between 1 and 50");
  o.profile = opt<bool>(opts, "profile");
  o.crit = opt<double>(opts, "crit");
  SEXP tf = fastnma::list_get(opts, "tau_fixed");
  if (!Rf_isNull(tf)) o.tau_fixed = Rcpp::as<double>(tf);
  fastnma::glmm::Result res = fastnma::glmm::fit(studies, n_treat, ref, o);
  return Rcpp::List::create(
      Rcpp::Named("status") = res.status, Rcpp::Named("common") = fit_list(res.common),
      Rcpp::Named("random") = fit_list(res.random), Rcpp::Named("lr") = res.lr,
      Rcpp::Named("tau2_lower") = res.tau2_lower,
      Rcpp::Named("tau2_upper") = res.tau2_upper,
      Rcpp::Named("profile_status") = res.profile_status);
}

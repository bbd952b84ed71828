// Thin Rcpp wrapper around the NMA core (src/core/*.h).
#include <Rcpp.h>
#include <RcppEigen.h>

#include "core/fit.h"
#include "fit_list.h"
#include "wrap.h"

using namespace fastnma;

// Builds the network, reports the first input problem (1-based indices), or
// fits the common-effect and random-effects models: fit_one() of
// src/core/fit.h, the routine the batch path loops over.
// [[Rcpp::export]]
Rcpp::List nma_fit_cpp(Rcpp::IntegerVector study, Rcpp::IntegerVector t1,
                       Rcpp::IntegerVector t2, Rcpp::NumericVector y,
                       Rcpp::NumericVector se, int n_study, int n_treat,
                       int ref, std::string method, double tol_multiarm,
                       double tol_tau2, double tau2_preset) {
  std::vector<int> s0 = zero_based(study), a0 = zero_based(t1), b0 = zero_based(t2);
  FitOne f = fit_one(s0, a0, b0, y.begin(), se.begin(), n_study, n_treat, ref - 1,
                     method, tol_multiarm, tol_tau2, tau2_preset);
  if (f.status == OK) return fit_list(f);
  if (f.status == DISCONNECTED) {
    Rcpp::IntegerVector cr(f.components.begin(), f.components.end());
    cr = cr + 1;
    return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(DISCONNECTED), Rcpp::Named("components") = cr);
  }
  // A singular system, or numbers not finite (extreme but finite inputs).
  if (f.status == SINGULAR || f.status == NOT_FINITE) {
    return Rcpp::List::create(Rcpp::Named("status") = f.status);
  }
  return problem_list(f.problem);
}

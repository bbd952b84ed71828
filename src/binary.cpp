// Thin Rcpp wrappers around the Mantel-Haenszel NMA core (src/core/mh.h)
// and the 2x2 effect routine (src/core/twobytwo.h).
#include "core/mh.h"
#include "core/twobytwo.h"
#include "core/ratemean.h"
#include "wrap.h"

using fastnma::r_codes;
using fastnma::r_mat;
using fastnma::zero_based;

namespace {

// Estimates and variances of pairs (NA where the pair is not estimable)
// with their status.
Rcpp::List effects_list(const fastnma::PairEffects& res) {
  const R_xlen_t k = res.status.size();
  Rcpp::NumericVector est(k), var(k);
  Rcpp::IntegerVector status(res.status.begin(), res.status.end());
  for (R_xlen_t i = 0; i < k; ++i) {
    const bool ok = res.status[i] == 0;
    est[i] = ok ? res.estimate[i] : NA_REAL;
    var[i] = ok ? res.variance[i] : NA_REAL;
  }
  return Rcpp::List::create(Rcpp::Named("estimate") = est,
                            Rcpp::Named("variance") = var,
                            Rcpp::Named("status") = status);
}

}  // namespace

// Arms in (1-based study and treatment indices, events and sizes, possibly
// corrected); measure 0 = OR, 1 = RR, 2 = RD. Returns the fit with 1-based
// indices, or a status > 0.
// [[Rcpp::export]]
Rcpp::List mh_fit_cpp(Rcpp::IntegerVector study, Rcpp::IntegerVector treat,
                      Rcpp::NumericVector events, Rcpp::NumericVector size,
                      int n_study, int n_treat, int ref, int measure) {
  std::vector<double> e(events.begin(), events.end());
  std::vector<double> n(size.begin(), size.end());
  fastnma::mh::Result res =
      fastnma::mh::fit(zero_based(study), zero_based(treat), e, n,
                       n_study, n_treat, ref - 1, measure);
  Rcpp::List designs(res.designs.size());
  for (size_t d = 0; d < res.designs.size(); ++d) designs[d] = r_codes(res.designs[d]);
  Rcpp::List out;
  out["status"] = res.status;
  out["arm_status"] = Rcpp::IntegerVector(res.arm_status.begin(), res.arm_status.end());
  out["study_design"] = r_codes(res.study_design);
  out["designs"] = designs;
  out["present"] = r_codes(res.present);
  if (res.status == fastnma::DISCONNECTED) {
    out["components"] = r_codes(res.components);
  }
  if (res.status != fastnma::OK) return out;

  const size_t nf = res.fits.size();
  Rcpp::IntegerVector fit_design(nf);
  Rcpp::List fit_arms(nf), fit_studies(nf), fit_d(nf), fit_V(nf);
  for (size_t f = 0; f < nf; ++f) {
    const auto& df = res.fits[f];
    fit_design[f] = df.original + 1;
    fit_arms[f] = r_codes(df.arms);
    fit_studies[f] = r_codes(df.studies);
    fit_d[f] = Rcpp::NumericVector(df.d.data(), df.d.data() + df.d.size());
    fit_V[f] = fastnma::to_r(df.V);
  }
  out["fit_design"] = fit_design;
  out["fit_arms"] = fit_arms;
  out["fit_studies"] = fit_studies;
  out["fit_d"] = fit_d;
  out["fit_V"] = fit_V;
  out["ref"] = res.ref + 1;
  out["theta"] = Rcpp::NumericVector(res.theta.data(), res.theta.data() + res.theta.size());
  out["cov"] = fastnma::to_r(res.cov);
  out["Q"] = res.Q;
  out["df"] = res.df;
  out["n_obs"] = res.n_obs;
  return out;
}

// Effects of arm 1 relative to arm 2 for arrays of pairs; measure 0 = OR,
// 1 = RR, 2 = RD; convention 0 = pairwise (netmeta), 1 = all cells
// corrected (metafor). Non-estimable pairs get NA estimate and variance and a
// status > 0 (see src/core/twobytwo.h).
// [[Rcpp::export]]
Rcpp::List twobytwo_cpp(Rcpp::NumericVector events1, Rcpp::NumericVector n1,
                        Rcpp::NumericVector incr1, Rcpp::NumericVector events2,
                        Rcpp::NumericVector n2, Rcpp::NumericVector incr2,
                        int measure, int convention, bool drop_no_events,
                        bool drop_all_events) {
  const R_xlen_t k = events1.size();
  if (n1.size() != k || incr1.size() != k || events2.size() != k ||
      n2.size() != k || incr2.size() != k || measure < 0 || measure > 2 ||
      convention < 0 || convention > 1) {
    Rcpp::stop("twobytwo_cpp: arguments of unequal length or unknown codes");
  }
  fastnma::twobytwo::Options opt;
  opt.measure = static_cast<fastnma::twobytwo::Measure>(measure);
  opt.convention = static_cast<fastnma::twobytwo::Convention>(convention);
  opt.drop_no_events = drop_no_events;
  opt.drop_all_events = drop_all_events;
  auto vec = [](const Rcpp::NumericVector& x) {
    return std::vector<double>(x.begin(), x.end());
  };
  fastnma::twobytwo::Effects res = fastnma::twobytwo::effects(
      vec(events1), vec(n1), vec(incr1), vec(events2), vec(n2), vec(incr2), opt);
  return effects_list(res);
}

// Incidence rate ratios (measure 0; arguments events, time, increment per
// arm) or ratios of means (measure 1; mean, sd, n per arm) of arm 1 relative
// to arm 2, log scale, for arrays of pairs. Non-estimable pairs get NA
// estimate and variance and a status > 0 (see src/core/ratemean.h).
// [[Rcpp::export]]
Rcpp::List ratemean_cpp(int measure, Rcpp::NumericVector a1, Rcpp::NumericVector b1,
                        Rcpp::NumericVector c1, Rcpp::NumericVector a2,
                        Rcpp::NumericVector b2, Rcpp::NumericVector c2) {
  const R_xlen_t k = a1.size();
  if (b1.size() != k || c1.size() != k || a2.size() != k || b2.size() != k ||
      c2.size() != k || measure < 0 || measure > 1) {
    Rcpp::stop("ratemean_cpp: arguments of unequal length or unknown measure");
  }
  auto vec = [](const Rcpp::NumericVector& x) {
    return std::vector<double>(x.begin(), x.end());
  };
  fastnma::ratemean::Effects res = fastnma::ratemean::effects(
      measure, vec(a1), vec(b1), vec(c1), vec(a2), vec(b2), vec(c2));
  return effects_list(res);
}

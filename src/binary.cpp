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

// The arms of a Mantel-Haenszel fit, `arms`: 1-based `study` and
// `treatment` indices, `events` and sizes `n` (possibly corrected), and the
// numbers of studies `n_study` and treatments `n_treat`; `opts`: the 1-based
// `reference` and the `measure` (0 = OR, 1 = RR, 2 = RD). Returns the fit
// with 1-based indices, or a status > 0.
// [[Rcpp::export]]
Rcpp::List mh_fit_cpp(Rcpp::List arms, Rcpp::List opts) {
  using fastnma::opt;
  std::vector<int> study = zero_based(opt<Rcpp::IntegerVector>(arms, "study"));
  std::vector<int> treat = zero_based(opt<Rcpp::IntegerVector>(arms, "treatment"));
  std::vector<double> e = opt<std::vector<double>>(arms, "events");
  std::vector<double> n = opt<std::vector<double>>(arms, "n");
  fastnma::mh::Result res = fastnma::mh::fit(
      study, treat, e, n, opt<int>(arms, "n_study"), opt<int>(arms, "n_treat"),
      opt<int>(opts, "reference") - 1, opt<int>(opts, "measure"));
  Rcpp::List out = fastnma::arm_fit_head(res);
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

// The six arrays of a pair of arms (`names`, arm 1 then arm 2), of equal
// length, from the list `pairs`.
static std::vector<std::vector<double>> pair_columns(const Rcpp::List& pairs,
                                              std::initializer_list<const char*> names,
                                              const char* what) {
  std::vector<std::vector<double>> cols;
  for (const char* nm : names) cols.push_back(fastnma::opt<std::vector<double>>(pairs, nm));
  for (const auto& c : cols) {
    if (c.size() != cols[0].size()) Rcpp::stop("%s: arrays of unequal length", what);
  }
  return cols;
}

// Effects of arm 1 relative to arm 2 for arrays of pairs, `pairs`: events1,
// n1, incr1, events2, n2, incr2; `opts`: measure (0 = OR, 1 = RR, 2 = RD),
// convention (0 = pairwise (netmeta), 1 = all cells corrected (metafor)),
// drop_no_events, drop_all_events. Non-estimable pairs get NA estimate and
// variance and a status > 0 (see src/core/twobytwo.h).
// [[Rcpp::export]]
Rcpp::List twobytwo_cpp(Rcpp::List pairs, Rcpp::List opts) {
  using fastnma::opt;
  const auto c = pair_columns(pairs, {"events1", "n1", "incr1", "events2", "n2", "incr2"},
                              "twobytwo_cpp");
  const int measure = opt<int>(opts, "measure"), convention = opt<int>(opts, "convention");
  if (measure < 0 || measure > 2 || convention < 0 || convention > 1) {
    Rcpp::stop("twobytwo_cpp: unknown measure or convention code");
  }
  fastnma::twobytwo::Options o;
  o.measure = static_cast<fastnma::twobytwo::Measure>(measure);
  o.convention = static_cast<fastnma::twobytwo::Convention>(convention);
  o.drop_no_events = opt<bool>(opts, "drop_no_events");
  o.drop_all_events = opt<bool>(opts, "drop_all_events");
  return effects_list(fastnma::twobytwo::effects(c[0], c[1], c[2], c[3], c[4], c[5], o));
}

// Incidence rate ratios (`opts$measure` 0; `pairs`: a1, b1, c1 = events,
// time, increment of arm 1 and a2, b2, c2 of arm 2) or ratios of means
// (measure 1; mean, sd, n per arm) of arm 1 relative to arm 2, log scale,
// for arrays of pairs. Non-estimable pairs get NA estimate and variance and
// a status > 0 (see src/core/ratemean.h).
// [[Rcpp::export]]
Rcpp::List ratemean_cpp(Rcpp::List pairs, Rcpp::List opts) {
  const auto c = pair_columns(pairs, {"a1", "b1", "c1", "a2", "b2", "c2"}, "ratemean_cpp");
  const int measure = fastnma::opt<int>(opts, "measure");
  if (measure < 0 || measure > 1) Rcpp::stop("ratemean_cpp: unknown measure code");
  return effects_list(fastnma::ratemean::effects(measure, c[0], c[1], c[2], c[3], c[4], c[5]));
}

// Thin Rcpp wrapper around the Mantel-Haenszel NMA core (src/core/mh.h).
#include <Rcpp.h>
#include <RcppEigen.h>

#include "core/mh.h"

namespace {

std::vector<int> to_zero_based(const Rcpp::IntegerVector& x) {
  std::vector<int> out(x.size());
  for (R_xlen_t i = 0; i < x.size(); ++i) out[i] = x[i] - 1;
  return out;
}

Rcpp::NumericMatrix matrix_to_r(const Eigen::MatrixXd& m) {
  Rcpp::NumericMatrix out(m.rows(), m.cols());
  std::copy(m.data(), m.data() + m.size(), out.begin());
  return out;
}

Rcpp::IntegerVector one_based(const std::vector<int>& x) {
  Rcpp::IntegerVector out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = x[i] + 1;
  return out;
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
      fastnma::mh::fit(to_zero_based(study), to_zero_based(treat), e, n,
                       n_study, n_treat, ref - 1, measure);
  Rcpp::List designs(res.designs.size());
  for (size_t d = 0; d < res.designs.size(); ++d) designs[d] = one_based(res.designs[d]);
  Rcpp::List out;
  out["status"] = res.status;
  out["arm_status"] = Rcpp::IntegerVector(res.arm_status.begin(), res.arm_status.end());
  out["study_design"] = one_based(res.study_design);
  out["designs"] = designs;
  out["present"] = one_based(res.present);
  if (res.status == fastnma::mh::DISCONNECTED) {
    out["components"] = one_based(res.components);
  }
  if (res.status != fastnma::mh::OK) return out;

  const size_t nf = res.fits.size();
  Rcpp::IntegerVector fit_design(nf);
  Rcpp::List fit_arms(nf), fit_studies(nf), fit_d(nf), fit_V(nf);
  for (size_t f = 0; f < nf; ++f) {
    const auto& df = res.fits[f];
    fit_design[f] = df.original + 1;
    fit_arms[f] = one_based(df.arms);
    fit_studies[f] = one_based(df.studies);
    fit_d[f] = Rcpp::NumericVector(df.d.data(), df.d.data() + df.d.size());
    fit_V[f] = matrix_to_r(df.V);
  }
  out["fit_design"] = fit_design;
  out["fit_arms"] = fit_arms;
  out["fit_studies"] = fit_studies;
  out["fit_d"] = fit_d;
  out["fit_V"] = fit_V;
  out["ref"] = res.ref + 1;
  out["theta"] = Rcpp::NumericVector(res.theta.data(), res.theta.data() + res.theta.size());
  out["cov"] = matrix_to_r(res.cov);
  out["Q"] = res.Q;
  out["df"] = res.df;
  out["n_obs"] = res.n_obs;
  return out;
}

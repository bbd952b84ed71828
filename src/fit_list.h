// The result list of one fit (fit_one() of src/core/fit.h), as the R side reads it:
// shared by the single fit (nma_fit_cpp) and the batch (nma_batch_cpp).
#pragma once

#include <Rcpp.h>
#include <RcppEigen.h>

#include "core/fit.h"
#include "wrap.h"

namespace fastnma {

// The result list of one fit of the network `net`, laid out as
// nma_fit_cpp() lays it out.
inline Rcpp::List fit_list(const FitOne& f, const Network& net) {
  std::vector<int> design_of(net.studies.size());
  for (size_t s = 0; s < net.studies.size(); ++s) design_of[s] = net.studies[s].design + 1;
  Rcpp::List design_arms(net.designs.size());
  for (size_t d = 0; d < net.designs.size(); ++d) {
    Rcpp::IntegerVector a(net.designs[d].begin(), net.designs[d].end());
    design_arms[d] = a + 1;
  }
  std::vector<int> n_arms(net.studies.size());
  for (size_t s = 0; s < net.studies.size(); ++s) n_arms[s] = net.studies[s].arms.size();
  // Filled by position (named insertion copies the list at every step).
  const char* names[] = {"status", "theta_common", "cov_common", "Q", "df", "tau2",
                         "tau2_iterations", "tau2_converged", "tau2_boundary",
                         "tau2_identifiable", "theta_random", "cov_random", "Q_random",
                         "loglik_ml", "loglik_reml", "Q_within", "df_within", "Q_design",
                         "df_design", "design", "design_arms", "n_arms", "n_obs"};
  const int n_el = sizeof(names) / sizeof(names[0]);
  Rcpp::List out(n_el);
  int k = 0;
  out[k++] = static_cast<int>(OK);
  out[k++] = to_r(f.theta_common);
  out[k++] = to_r(f.cov_common);
  out[k++] = f.Q;
  out[k++] = f.df;
  out[k++] = f.tau2.tau2;
  out[k++] = f.tau2.iterations;
  out[k++] = f.tau2.converged;
  out[k++] = f.tau2.boundary;
  out[k++] = f.tau2.identifiable;
  out[k++] = to_r(f.theta_random);
  out[k++] = to_r(f.cov_random);
  out[k++] = f.Q_random;
  out[k++] = f.loglik_ml;
  out[k++] = f.loglik_reml;
  out[k++] = f.within.Q_total;
  out[k++] = f.within.df_total;
  out[k++] = to_r(f.within.Q);
  out[k++] = Rcpp::IntegerVector(f.within.df.data(), f.within.df.data() + f.within.df.size());
  out[k++] = Rcpp::IntegerVector(design_of.begin(), design_of.end());
  out[k++] = design_arms;
  out[k++] = Rcpp::IntegerVector(n_arms.begin(), n_arms.end());
  out[k++] = net.n_obs;
  out.attr("names") = Rcpp::CharacterVector(names, names + n_el);
  return out;
}


// The fit of a network it built itself.
inline Rcpp::List fit_list(const FitOne& f) { return fit_list(f, f.net); }

}  // namespace fastnma

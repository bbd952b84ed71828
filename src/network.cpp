// Thin Rcpp wrapper: build and validate a network once (src/core/network.h)
// and return its structure for the R-side network object.
#include <Rcpp.h>
#include <RcppEigen.h>

#include "core/network.h"
#include "wrap.h"

using namespace fastnma;

// Builds the network from 1-based integer codes. On an input problem returns
// `status` (see InputProblem in core/network.h) with 1-based locations; else
// status 0 with the designs, the number of arms per study, the number of
// independent contrasts and the connected component of every treatment.
// [[Rcpp::export]]
Rcpp::List network_build_cpp(Rcpp::IntegerVector study, Rcpp::IntegerVector t1,
                             Rcpp::IntegerVector t2, Rcpp::NumericVector y,
                             Rcpp::NumericVector se, int n_study, int n_treat,
                             double tol_multiarm) {
  const R_xlen_t m = study.size();
  if (t1.size() != m || t2.size() != m || y.size() != m || se.size() != m) {
    return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(BAD_INDEX),
                              Rcpp::Named("study") = 0, Rcpp::Named("row") = 0);
  }
  std::vector<int> s0 = zero_based(study), a0 = zero_based(t1), b0 = zero_based(t2);
  Network net;
  BuildResult br = build_network(s0, a0, b0, y.begin(), se.begin(), n_study,
                                 n_treat, tol_multiarm, net);
  if (br.code != OK) return problem_list(br);
  std::vector<int> comp = components(net);
  std::vector<int> design_of(net.studies.size()), n_arms(net.studies.size());
  for (size_t s = 0; s < net.studies.size(); ++s) {
    design_of[s] = net.studies[s].design + 1;
    n_arms[s] = static_cast<int>(net.studies[s].arms.size());
  }
  Rcpp::List design_arms(net.designs.size());
  for (size_t d = 0; d < net.designs.size(); ++d) {
    Rcpp::IntegerVector a(net.designs[d].begin(), net.designs[d].end());
    design_arms[d] = a + 1;
  }
  Rcpp::IntegerVector cr(comp.begin(), comp.end());
  return Rcpp::List::create(
      Rcpp::Named("status") = 0,
      Rcpp::Named("design") = Rcpp::IntegerVector(design_of.begin(), design_of.end()),
      Rcpp::Named("design_arms") = design_arms,
      Rcpp::Named("n_arms") = Rcpp::IntegerVector(n_arms.begin(), n_arms.end()),
      Rcpp::Named("n_obs") = net.n_obs,
      Rcpp::Named("components") = cr + 1);
}

// Thin Rcpp wrappers around the rankings of the core (src/core/ranking.h).
#include "core/ranking.h"
#include "wrap.h"

using namespace fastnma;

// [[Rcpp::export]]
Rcpp::NumericVector pscore_cpp(Rcpp::NumericVector theta, Rcpp::NumericMatrix cov,
                               bool small_good) {
  return r_vec(pscores(eigen_vec(theta), eigen_mat(cov), small_good));
}

// [[Rcpp::export]]
Rcpp::List rank_sim_cpp(Rcpp::NumericVector theta, Rcpp::NumericMatrix cov, int ref,
                        bool small_good, int n_sim, double seed) {
  RankSimulation rs = rank_simulation(eigen_vec(theta), eigen_mat(cov), ref - 1, small_good,
                                      n_sim, static_cast<uint64_t>(seed), interrupt);
  return Rcpp::List::create(Rcpp::Named("prob") = r_mat(rs.prob),
                            Rcpp::Named("mean_rank") = r_vec(rs.mean_rank),
                            Rcpp::Named("sucra") = r_vec(rs.sucra));
}

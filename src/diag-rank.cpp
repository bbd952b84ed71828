// Thin Rcpp wrappers around the rankings of the core (src/core/ranking.h).
// `estimates` is a model of a fit: its coefficients `theta` (one per
// treatment) and their covariance `cov`.
#include "core/ranking.h"
#include "wrap.h"

using namespace fastnma;

// P-scores; `opts`: small_good (whether small values are desirable).
// [[Rcpp::export]]
Rcpp::NumericVector pscore_cpp(Rcpp::List estimates, Rcpp::List opts) {
  return r_vec(pscores(opt<VectorXd>(estimates, "theta"), opt<MatrixXd>(estimates, "cov"),
                       opt<bool>(opts, "small_good")));
}

// Rank probabilities, mean ranks and SUCRA from `n_sim` draws; `opts`: the
// 1-based reference `ref`, small_good, n_sim and the `seed`.
// [[Rcpp::export]]
Rcpp::List rank_sim_cpp(Rcpp::List estimates, Rcpp::List opts) {
  RankSimulation rs = rank_simulation(
      opt<VectorXd>(estimates, "theta"), opt<MatrixXd>(estimates, "cov"),
      opt<int>(opts, "ref") - 1, opt<bool>(opts, "small_good"), opt<int>(opts, "n_sim"),
      static_cast<uint64_t>(opt<double>(opts, "seed")), interrupt);
  return Rcpp::List::create(Rcpp::Named("prob") = r_mat(rs.prob),
                            Rcpp::Named("mean_rank") = r_vec(rs.mean_rank),
                            Rcpp::Named("sucra") = r_vec(rs.sucra));
}

// Thin Rcpp wrapper around leave-one-study-out (src/core/influence.h).
#include "core/influence.h"
#include "diag.h"

using namespace fastnma;

// Options: those of refit_options() (src/diag.h), `store_impact`, and the
// studies `first`..`last` (1-based) to leave out.
// [[Rcpp::export]]
Rcpp::List loo_cpp(Rcpp::List network, Rcpp::List opts) {
  const RefitOptions o = refit_options(opts);
  const bool store_impact = opt<bool>(opts, "store_impact");
  const int first = opt<int>(opts, "first"), last = opt<int>(opts, "last");
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return rebuild_failure(rn.br);
  const Network& net = rn.net();
  Model model(net, o.ref - 1);
  FixedFit f0 = fixed_fit(model, 0.0), f1 = fixed_fit(model, o.tau2);
  if (!f0.ok || !f1.ok) return singular_failure();
  LeaveOneOut lo = leave_one_out(net, f0, f1, o.ref - 1, o.tau2_method, o.tol_tau2,
                                 o.reestimate, interrupt, store_impact, o.exact_budget,
                                 first - 1, last);
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("core_status") = static_cast<int>(OK),
      Rcpp::Named("Q") = r_vec(lo.Q_common),
      Rcpp::Named("df") = Rcpp::IntegerVector(lo.df.data(), lo.df.data() + lo.df.size()),
      Rcpp::Named("tau2") = r_vec(lo.tau2),
      Rcpp::Named("disconnects") = Rcpp::LogicalVector(lo.disconnects.data(), lo.disconnects.data() + lo.disconnects.size()),
      Rcpp::Named("est_common") = r_mat(lo.est_common), Rcpp::Named("se_common") = r_mat(lo.se_common),
      Rcpp::Named("est_random") = r_mat(lo.est_random), Rcpp::Named("se_random") = r_mat(lo.se_random),
      Rcpp::Named("max_impact_common") = r_vec(lo.max_impact_common),
      Rcpp::Named("max_impact_random") = r_vec(lo.max_impact_random));
  if (store_impact) {
    out["impact_common"] = r_mat(lo.impact_common);
    out["impact_random"] = r_mat(lo.impact_random);
  }
  return out;
}

// Thin Rcpp wrapper around node-splitting (src/core/split.h).
#include "core/split.h"
#include "diag.h"

using namespace fastnma;

// Node-splitting at opts$tau2 (0 for the common-effect model). Options:
// those of refit_options() (src/diag.h; the separate method refits the
// indirect networks to re-estimate tau^2 when (comparisons) x n^3 is at most
// `exact_budget`, else uses low-rank updates), `method` ("separate" or
// "backcalc") and `tol_direct`.
// [[Rcpp::export]]
Rcpp::List split_cpp(Rcpp::List network, Rcpp::List opts) {
  const RefitOptions o = refit_options(opts);
  const std::string method = opt<std::string>(opts, "method");
  const double tol_direct = opt<double>(opts, "tol_direct");
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return rebuild_failure(rn.br);
  const NetworkHandle& h = *rn.h;
  const Network& net = h.net;
  // no likelihood is read; back-calculation reads theta and C alone
  Model model(net, o.ref - 1, false);
  FixedFit f = fixed_fit(model, o.tau2, method == "separate");
  if (!f.ok) return singular_failure();
  std::vector<Edge> edges = direct_rows(h.study, h.t1, h.t2, h.y.data(), h.se.data(),
                                        h.n_treat, o.tau2);
  // the fit at tau^2 = 0 is needed by the low-rank DL re-estimation only
  const bool need_f0 = method == "separate" && o.reestimate && o.tau2_method == "DL";
  FixedFit f0 = need_f0 ? fixed_fit(model, 0.0) : FixedFit();
  if (need_f0 && !f0.ok) return singular_failure();
  std::vector<SplitRow> rows =
      method == "separate"
          ? split_separate(net, edges, f, need_f0 ? f0 : f, o.ref - 1, o.reestimate,
                           o.tau2_method, o.tol_tau2, interrupt, o.exact_budget)
          : split_backcalc(edges, f, tol_direct);
  const int m = rows.size();
  Rcpp::IntegerVector a(m), b(m), k(m), status(m);
  Rcpp::NumericVector prop(m), dir(m), dir_v(m), ind(m), ind_v(m), net_e(m), net_v(m), t2v(m);
  for (int i = 0; i < m; ++i) {
    const SplitRow& r = rows[i];
    a[i] = r.a + 1;
    b[i] = r.b + 1;
    k[i] = r.k;
    status[i] = r.status;
    prop[i] = r.prop;
    dir[i] = r.direct;
    dir_v[i] = r.direct_var;
    ind[i] = r.indirect;
    ind_v[i] = r.indirect_var;
    net_e[i] = r.network;
    net_v[i] = r.network_var;
    t2v[i] = r.tau2_indirect;
  }
  return Rcpp::List::create(
      Rcpp::Named("core_status") = static_cast<int>(OK),
      Rcpp::Named("a") = a, Rcpp::Named("b") = b, Rcpp::Named("k") = k,
      Rcpp::Named("status") = status, Rcpp::Named("prop") = prop,
      Rcpp::Named("direct") = dir, Rcpp::Named("direct_var") = dir_v,
      Rcpp::Named("indirect") = ind, Rcpp::Named("indirect_var") = ind_v,
      Rcpp::Named("network") = net_e, Rcpp::Named("network_var") = net_v,
      Rcpp::Named("tau2_indirect") = t2v);
}

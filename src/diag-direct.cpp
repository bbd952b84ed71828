// Thin Rcpp wrapper: the direct (pairwise) evidence of every compared pair
// (src/core/evidence.h), from the network's own rows.
#include "core/evidence.h"
#include "diag.h"

using namespace fastnma;

// Direct evidence per comparison at tau2, with the per-study reduced weights.
// [[Rcpp::export]]
Rcpp::List direct_cpp(Rcpp::List network, double tau2) {
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return rebuild_failure(rn.br);
  const NetworkHandle& h = *rn.h;
  std::vector<Edge> edges = direct_rows(h.study, h.t1, h.t2, h.y.data(), h.se.data(),
                                        h.n_treat, tau2);
  const int E = edges.size();
  Rcpp::IntegerVector a(E), b(E), k(E);
  Rcpp::NumericVector est(E), var(E);
  std::vector<int> se_edge, se_study;
  std::vector<double> se_w, se_y;
  for (int e = 0; e < E; ++e) {
    a[e] = edges[e].a + 1;
    b[e] = edges[e].b + 1;
    k[e] = edges[e].studies.size();
    est[e] = edges[e].est();
    var[e] = edges[e].var();
    for (const EdgeStudy& es : edges[e].studies) {
      se_edge.push_back(e + 1);
      se_study.push_back(es.study + 1);
      se_w.push_back(es.w);
      se_y.push_back(es.y);
    }
  }
  return Rcpp::List::create(
      Rcpp::Named("a") = a, Rcpp::Named("b") = b, Rcpp::Named("k") = k,
      Rcpp::Named("estimate") = est, Rcpp::Named("var") = var,
      Rcpp::Named("studies") = Rcpp::List::create(
          Rcpp::Named("edge") = Rcpp::wrap(se_edge), Rcpp::Named("study") = Rcpp::wrap(se_study),
          Rcpp::Named("weight") = Rcpp::wrap(se_w), Rcpp::Named("estimate") = Rcpp::wrap(se_y)));
}

// Thin Rcpp wrapper around the contribution matrix (src/core/contrib.h).
#include "core/contrib.h"
#include "diag.h"

using namespace fastnma;

// Options: `ref` (1-based), `tau2`, `randomwalk`, `by_study`, and the rows
// asked for as pairs `row_src`, `row_dst` (1-based treatment codes).
// [[Rcpp::export]]
Rcpp::List contrib_cpp(Rcpp::List network, Rcpp::List opts) {
  const int ref = opt<int>(opts, "ref");
  const double tau2 = opt<double>(opts, "tau2");
  const bool randomwalk = opt<bool>(opts, "randomwalk");
  const bool by_study = opt<bool>(opts, "by_study");
  Rcpp::IntegerVector row_src = opt<Rcpp::IntegerVector>(opts, "row_src");
  Rcpp::IntegerVector row_dst = opt<Rcpp::IntegerVector>(opts, "row_dst");
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return rebuild_failure(rn.br);
  const Network& net = rn.net();
  Model model(net, ref - 1);
  FixedFit f = fixed_fit(model, tau2);
  if (!f.ok) return singular_failure();
  std::vector<Edge> edges = direct_edges(net, f.W);
  std::vector<int> src(row_src.size()), dst(row_dst.size());
  for (R_xlen_t r = 0; r < row_src.size(); ++r) {
    src[r] = row_src[r] - 1;
    dst[r] = row_dst[r] - 1;
  }
  Contributions c = contributions(net, f, edges, randomwalk, by_study, src, dst, interrupt);
  Rcpp::IntegerVector a(edges.size()), b(edges.size());
  for (size_t e = 0; e < edges.size(); ++e) {
    a[e] = edges[e].a + 1;
    b[e] = edges[e].b + 1;
  }
  Rcpp::List out = Rcpp::List::create(Rcpp::Named("core_status") = static_cast<int>(OK),
                                      Rcpp::Named("weights") = r_mat(c.weights),
                                      Rcpp::Named("a") = a, Rcpp::Named("b") = b);
  if (by_study) out["study"] = r_mat(c.study);
  return out;
}

// Thin Rcpp wrapper around the contribution matrix (src/core/contrib.h).
#include "core/contrib.h"
#include "diag.h"

using namespace fastnma;

// Options: `ref` (1-based), `tau2`, `randomwalk`, `by_study`, the rows
// asked for as pairs `row_src`, `row_dst` (1-based treatment codes),
// `threshold` (0: dense matrices; above 0: compressed rows of the entries of
// at least `threshold`, `p`, `j` (0-based) and `x`, and `study_p`, ...) and
// `col_rank` (the 1-based position of each direct comparison among the
// columns of the compressed rows; empty: their own order).
// [[Rcpp::export]]
Rcpp::List contrib_cpp(Rcpp::List network, Rcpp::List opts) {
  const int ref = opt<int>(opts, "ref");
  const double tau2 = opt<double>(opts, "tau2");
  const bool randomwalk = opt<bool>(opts, "randomwalk");
  const bool by_study = opt<bool>(opts, "by_study");
  Rcpp::IntegerVector row_src = opt<Rcpp::IntegerVector>(opts, "row_src");
  Rcpp::IntegerVector row_dst = opt<Rcpp::IntegerVector>(opts, "row_dst");
  const double threshold = opt<double>(opts, "threshold");
  std::vector<int> col_rank = Rcpp::as<std::vector<int>>(opt<Rcpp::IntegerVector>(opts, "col_rank"));
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
  for (int& r : col_rank) --r;
  if (!col_rank.empty() && col_rank.size() != edges.size()) Rcpp::stop("internal error: 'col_rank' has the wrong length");
  Contributions c = contributions(net, f, edges, randomwalk, by_study, src, dst, interrupt, threshold,
                                  col_rank);
  Rcpp::IntegerVector a(edges.size()), b(edges.size());
  for (size_t e = 0; e < edges.size(); ++e) {
    a[e] = edges[e].a + 1;
    b[e] = edges[e].b + 1;
  }
  Rcpp::List out = Rcpp::List::create(Rcpp::Named("core_status") = static_cast<int>(OK),
                                      Rcpp::Named("a") = a, Rcpp::Named("b") = b);
  if (threshold > 0) {
    out["p"] = Rcpp::wrap(c.p);
    out["j"] = Rcpp::wrap(c.j);
    out["x"] = Rcpp::wrap(c.x);
    if (by_study) {
      out["study_p"] = Rcpp::wrap(c.study_p);
      out["study_j"] = Rcpp::wrap(c.study_j);
      out["study_x"] = Rcpp::wrap(c.study_x);
    }
    return out;
  }
  out["weights"] = r_mat(c.weights);
  if (by_study) out["study"] = r_mat(c.study);
  return out;
}

// Thin Rcpp wrapper around the contribution matrix (src/core/contrib.h).
#include "core/contrib.h"
#include "diag.h"

using namespace fastnma;

namespace {

// Compressed rows of the core as the slots `p`, `j` (0-based) and `x` of a
// sparse matrix, moved into R vectors without a second full copy.
void put_sparse(Rcpp::List& out, const char* prefix, RowStore& store) {
  const double n_entries = static_cast<double>(store.n_entries());
  if (n_entries > 2147483647.0) {
    Rcpp::stop("The contributions kept (%.0f entries) exceed the size of a sparse matrix; raise 'threshold' or pass 'each' to take the rows in blocks.",
               n_entries);
  }
  Rcpp::IntegerVector p(Rcpp::no_init(store.n_rows() + 1));
  store.row_pointers(p.begin());
  Rcpp::IntegerVector j(Rcpp::no_init(static_cast<R_xlen_t>(store.n_entries())));
  Rcpp::NumericVector x(Rcpp::no_init(static_cast<R_xlen_t>(store.n_entries())));
  store.move_to(p.begin(), j.begin(), x.begin());
  const std::string pre(prefix);
  out[pre + "p"] = p;
  out[pre + "j"] = j;
  out[pre + "x"] = x;
}

}  // namespace

// Options: `ref` (1-based), `tau2`, `randomwalk`, `by_study`, `weights`
// (keep the contributions of the direct comparisons), the rows asked for as
// pairs `row_src`, `row_dst` (1-based treatment codes), `threshold` (0:
// dense matrices; above 0: compressed rows of the entries of at least
// `threshold`, `p`, `j` (0-based) and `x`, and `study_p`, ...), `col_rank`
// (the 1-based position of each direct comparison among the columns of the
// compressed rows; empty: their own order), `group` (a studies x groups
// matrix, each study's share in each group, or a matrix without columns:
// the contributions summed by group, `group`), `threads`, and optionally
// `weights_dimnames` and `study_dimnames` (the dimnames of the dense
// matrices), `edge_a` and `edge_b` (the direct comparisons expected, an
// internal check). Dense matrices have their columns in the order of
// `col_rank` too.
// [[Rcpp::export]]
Rcpp::List contrib_cpp(Rcpp::List network, Rcpp::List opts) {
  const int ref = opt<int>(opts, "ref");
  const double tau2 = opt<double>(opts, "tau2");
  ContribOptions o;
  o.randomwalk = opt<bool>(opts, "randomwalk");
  o.by_study = opt<bool>(opts, "by_study");
  o.keep_weights = opt<bool>(opts, "weights");
  o.threads = opt<int>(opts, "threads");
  SEXP mp = list_get(opts, "min_parallel");
  if (!Rf_isNull(mp)) o.min_parallel_work = Rcpp::as<double>(mp);
  Rcpp::IntegerVector row_src = opt<Rcpp::IntegerVector>(opts, "row_src");
  Rcpp::IntegerVector row_dst = opt<Rcpp::IntegerVector>(opts, "row_dst");
  o.threshold = opt<double>(opts, "threshold");
  o.col_rank = Rcpp::as<std::vector<int>>(opt<Rcpp::IntegerVector>(opts, "col_rank"));
  Rcpp::NumericMatrix group = opt<Rcpp::NumericMatrix>(opts, "group");
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return rebuild_failure(rn.br);
  const Network& net = rn.net();
  if (group.ncol() > 0) {
    if (group.nrow() != static_cast<int>(net.studies.size())) Rcpp::stop("internal error: 'group' has the wrong number of rows");
    o.group = Eigen::Map<const MatrixXd>(group.begin(), group.nrow(), group.ncol());
  }
  Model model(net, ref - 1);
  FixedFit f = fixed_fit(model, tau2);
  if (!f.ok) return singular_failure();
  std::vector<Edge> edges = direct_edges(net, f.W);
  std::vector<int> src(row_src.size()), dst(row_dst.size());
  for (R_xlen_t r = 0; r < row_src.size(); ++r) {
    src[r] = row_src[r] - 1;
    dst[r] = row_dst[r] - 1;
  }
  // the direct comparisons R expects (1-based pairs), when it says
  SEXP ea = list_get(opts, "edge_a"), eb = list_get(opts, "edge_b");
  if (!Rf_isNull(ea)) {
    Rcpp::IntegerVector a(ea), b(eb);
    bool same = a.size() == static_cast<R_xlen_t>(edges.size()) && b.size() == a.size();
    for (R_xlen_t e = 0; same && e < a.size(); ++e) {
      same = a[e] == edges[e].a + 1 && b[e] == edges[e].b + 1;
    }
    if (!same) Rcpp::stop("internal error: the direct comparisons differ from those expected");
  }
  for (int& r : o.col_rank) --r;
  if (!o.col_rank.empty() && o.col_rank.size() != edges.size()) Rcpp::stop("internal error: 'col_rank' has the wrong length");
  // dense results straight into R matrices, labelled by `weights_dimnames`
  // and `study_dimnames` when given
  const int n_rows = static_cast<int>(src.size());
  Rcpp::NumericMatrix weights, study;
  if (o.threshold == 0 && o.keep_weights) {
    weights = Rcpp::NumericMatrix(Rcpp::no_init(n_rows, static_cast<int>(edges.size())));
    o.weights_out = weights.begin();
    SEXP dn = list_get(opts, "weights_dimnames");
    if (!Rf_isNull(dn)) Rf_setAttrib(weights, R_DimNamesSymbol, dn);
  }
  if (o.threshold == 0 && o.by_study) {
    study = Rcpp::NumericMatrix(Rcpp::no_init(n_rows, static_cast<int>(net.studies.size())));
    o.study_out = study.begin();
    SEXP dn = list_get(opts, "study_dimnames");
    if (!Rf_isNull(dn)) Rf_setAttrib(study, R_DimNamesSymbol, dn);
  }
  Contributions c = contributions(net, f, edges, src, dst, o, interrupt);
  Rcpp::IntegerVector a(edges.size()), b(edges.size());
  for (size_t e = 0; e < edges.size(); ++e) {
    a[e] = edges[e].a + 1;
    b[e] = edges[e].b + 1;
  }
  Rcpp::List out = Rcpp::List::create(Rcpp::Named("core_status") = static_cast<int>(OK),
                                      Rcpp::Named("a") = a, Rcpp::Named("b") = b);
  if (c.sparse_weights) put_sparse(out, "", *c.sparse_weights);
  if (c.sparse_study) put_sparse(out, "study_", *c.sparse_study);
  if (o.threshold == 0) {
    if (o.keep_weights) out["weights"] = weights;
    if (o.by_study) out["study"] = study;
  }
  if (group.ncol() > 0) out["group"] = r_mat(c.group);
  return out;
}

// Thin Rcpp wrappers around the evidence diagnostics of the core
// (src/core/{ranking,split,influence,inconsistency,contrib}.h).
#include <Rcpp.h>
#include <RcppEigen.h>

#include "core/contrib.h"
#include "core/inconsistency.h"
#include "core/influence.h"
#include "core/ranking.h"
#include "core/split.h"
#include "wrap.h"

#include <algorithm>
#include <chrono>

using namespace fastnma;

namespace {

struct Rows {
  std::vector<int> s, a, b;
};

Rows zero_rows(const Rcpp::IntegerVector& study, const Rcpp::IntegerVector& t1,
               const Rcpp::IntegerVector& t2) {
  Rows r;
  r.s = zero_based(study);
  r.a = zero_based(t1);
  r.b = zero_based(t2);
  return r;
}

// Status codes returned to R as `core_status` (mapped to classed errors by
// the table in R/errors.R): 0 success, 8 the model could not be fitted
// (singular system), 10 the network of the fit could not be rebuilt from its
// stored contrasts (`problem` is the InputProblem, `study` 1-based).
const int STATUS_OK = 0;
const int STATUS_SINGULAR = 8;
const int STATUS_REBUILD = 10;

Rcpp::List rebuild_failure(const BuildResult& br) {
  return Rcpp::List::create(Rcpp::Named("core_status") = STATUS_REBUILD,
                            Rcpp::Named("problem") = br.code,
                            Rcpp::Named("study") = br.study + 1);
}

Rcpp::List singular_failure() {
  return Rcpp::List::create(Rcpp::Named("core_status") = STATUS_SINGULAR);
}

BuildResult make_network(const Rcpp::IntegerVector& study, const Rcpp::IntegerVector& t1,
                         const Rcpp::IntegerVector& t2, const Rcpp::NumericVector& y,
                         const Rcpp::NumericVector& se, int n_study, int n_treat,
                         double tol, Network& net) {
  std::vector<int> s0 = zero_based(study), a0 = zero_based(t1), b0 = zero_based(t2);
  return build_network(s0, a0, b0, y.begin(), se.begin(), n_study, n_treat, tol, net);
}

Rcpp::NumericMatrix mat(const MatrixXd& m) {
  Rcpp::NumericMatrix out(m.rows(), m.cols());
  std::copy(m.data(), m.data() + m.size(), out.begin());
  return out;
}

Rcpp::NumericVector vec(const VectorXd& v) {
  return Rcpp::NumericVector(v.data(), v.data() + v.size());
}

MatrixXd from_r(const Rcpp::NumericMatrix& m) {
  return Eigen::Map<const MatrixXd>(m.begin(), m.nrow(), m.ncol());
}

VectorXd from_r(const Rcpp::NumericVector& v) {
  return Eigen::Map<const VectorXd>(v.begin(), v.size());
}

// Progress of a long core call: R sets a callback (progress_cpp) before the
// call and clears it after. The cores call interrupt() every `stride` units
// of work (1024 draws in rank_simulation, 16 studies in leave_one_out, 32
// comparisons in split_separate, 64 rows in contributions); interrupt()
// checks for a user interrupt and, at most every `interval` seconds, reports the units
// done to the callback (`interval`: 0.2 s unless R says otherwise).
struct ProgressState {
  Rcpp::RObject callback;  // R_NilValue: no progress reported
  double total = 0.0, stride = 1.0;
  double calls = 0.0;
  std::chrono::duration<double> interval{0.2};
  std::chrono::steady_clock::time_point last;
};
ProgressState progress_state;

void interrupt() {
  Rcpp::checkUserInterrupt();
  ProgressState& p = progress_state;
  if (p.callback.isNULL()) return;
  const double done = std::min(p.total, p.calls * p.stride);
  p.calls += 1.0;
  const auto now = std::chrono::steady_clock::now();
  if (now - p.last < p.interval) return;
  p.last = now;
  Rcpp::Function f(p.callback);
  f(done);
}

}  // namespace

// Sets (a function of the units done) or clears (NULL) the progress callback.
// [[Rcpp::export]]
void progress_cpp(SEXP callback, double total, double stride, double interval) {
  progress_state.callback = callback;
  progress_state.interval = std::chrono::duration<double>(interval);
  progress_state.total = total;
  progress_state.stride = stride;
  progress_state.calls = 0.0;
  progress_state.last = std::chrono::steady_clock::now();
}

// [[Rcpp::export]]
Rcpp::NumericVector pscore_cpp(Rcpp::NumericVector theta, Rcpp::NumericMatrix cov,
                               bool small_good) {
  return vec(pscores(from_r(theta), from_r(cov), small_good));
}

// [[Rcpp::export]]
Rcpp::List rank_sim_cpp(Rcpp::NumericVector theta, Rcpp::NumericMatrix cov, int ref,
                        bool small_good, int n_sim, double seed) {
  RankSimulation rs = rank_simulation(from_r(theta), from_r(cov), ref - 1, small_good,
                                      n_sim, static_cast<uint64_t>(seed), interrupt);
  return Rcpp::List::create(Rcpp::Named("prob") = mat(rs.prob),
                            Rcpp::Named("mean_rank") = vec(rs.mean_rank),
                            Rcpp::Named("sucra") = vec(rs.sucra));
}

// Direct evidence per comparison at tau2, with the per-study reduced weights.
// [[Rcpp::export]]
Rcpp::List direct_cpp(Rcpp::IntegerVector study, Rcpp::IntegerVector t1,
                      Rcpp::IntegerVector t2, Rcpp::NumericVector y,
                      Rcpp::NumericVector se, int n_study, int n_treat, double tol,
                      double tau2) {
  Rows rw = zero_rows(study, t1, t2);
  std::vector<Edge> edges = direct_rows(rw.s, rw.a, rw.b, y.begin(), se.begin(), n_treat, tau2);
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

// Node-splitting at tau2 (0 for the common-effect model). `exact_budget`:
// the separate method refits the indirect networks to re-estimate tau^2 when
// (comparisons) x n^3 is at most this, else uses low-rank updates.
// [[Rcpp::export]]
Rcpp::List split_cpp(Rcpp::IntegerVector study, Rcpp::IntegerVector t1,
                     Rcpp::IntegerVector t2, Rcpp::NumericVector y,
                     Rcpp::NumericVector se, int n_study, int n_treat, double tol,
                     int ref, double tau2, std::string method, bool reestimate,
                     std::string tau2_method, double tol_tau2, double tol_direct,
                     double exact_budget) {
  Network net;
  BuildResult br = make_network(study, t1, t2, y, se, n_study, n_treat, tol, net);
  if (br.code != OK) return rebuild_failure(br);
  Model model(net, ref - 1);
  FixedFit f = fixed_fit(model, tau2);
  if (!f.ok) return singular_failure();
  Rows rw = zero_rows(study, t1, t2);
  std::vector<Edge> edges = direct_rows(rw.s, rw.a, rw.b, y.begin(), se.begin(), n_treat, tau2);
  // the fit at tau^2 = 0 is needed by the low-rank DL re-estimation only
  const bool need_f0 = method == "separate" && reestimate && tau2_method == "DL";
  FixedFit f0 = need_f0 ? fixed_fit(model, 0.0) : FixedFit();
  if (need_f0 && !f0.ok) return singular_failure();
  std::vector<SplitRow> rows =
      method == "separate"
          ? split_separate(net, edges, f, need_f0 ? f0 : f, ref - 1, reestimate,
                           tau2_method, tol_tau2, interrupt, exact_budget)
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
      Rcpp::Named("core_status") = STATUS_OK,
      Rcpp::Named("a") = a, Rcpp::Named("b") = b, Rcpp::Named("k") = k,
      Rcpp::Named("status") = status, Rcpp::Named("prop") = prop,
      Rcpp::Named("direct") = dir, Rcpp::Named("direct_var") = dir_v,
      Rcpp::Named("indirect") = ind, Rcpp::Named("indirect_var") = ind_v,
      Rcpp::Named("network") = net_e, Rcpp::Named("network_var") = net_v,
      Rcpp::Named("tau2_indirect") = t2v);
}

// [[Rcpp::export]]
Rcpp::List loo_cpp(Rcpp::IntegerVector study, Rcpp::IntegerVector t1,
                   Rcpp::IntegerVector t2, Rcpp::NumericVector y,
                   Rcpp::NumericVector se, int n_study, int n_treat, double tol,
                   int ref, double tau2, std::string tau2_method, double tol_tau2,
                   bool reestimate, bool store_impact, double exact_budget,
                   int first, int last) {
  Network net;
  BuildResult br = make_network(study, t1, t2, y, se, n_study, n_treat, tol, net);
  if (br.code != OK) return rebuild_failure(br);
  Model model(net, ref - 1);
  FixedFit f0 = fixed_fit(model, 0.0), f1 = fixed_fit(model, tau2);
  if (!f0.ok || !f1.ok) return singular_failure();
  LeaveOneOut lo = leave_one_out(net, f0, f1, ref - 1, tau2_method, tol_tau2,
                                 reestimate, interrupt, store_impact, exact_budget,
                                 first - 1, last);
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("core_status") = STATUS_OK,
      Rcpp::Named("Q") = vec(lo.Q_common),
      Rcpp::Named("df") = Rcpp::IntegerVector(lo.df.data(), lo.df.data() + lo.df.size()),
      Rcpp::Named("tau2") = vec(lo.tau2),
      Rcpp::Named("disconnects") = Rcpp::LogicalVector(lo.disconnects.data(), lo.disconnects.data() + lo.disconnects.size()),
      Rcpp::Named("est_common") = mat(lo.est_common), Rcpp::Named("se_common") = mat(lo.se_common),
      Rcpp::Named("est_random") = mat(lo.est_random), Rcpp::Named("se_random") = mat(lo.se_random),
      Rcpp::Named("max_impact_common") = vec(lo.max_impact_common),
      Rcpp::Named("max_impact_random") = vec(lo.max_impact_random));
  if (store_impact) {
    out["impact_common"] = mat(lo.impact_common);
    out["impact_random"] = mat(lo.impact_random);
  }
  return out;
}

// [[Rcpp::export]]
Rcpp::List inconsistency_cpp(Rcpp::IntegerVector study, Rcpp::IntegerVector t1,
                             Rcpp::IntegerVector t2, Rcpp::NumericVector y,
                             Rcpp::NumericVector se, int n_study, int n_treat,
                             double tol, int ref, bool heat) {
  Network net;
  BuildResult br = make_network(study, t1, t2, y, se, n_study, n_treat, tol, net);
  if (br.code != OK) return rebuild_failure(br);
  Model model(net, ref - 1);
  double tau2w = tau2_within_designs(net);
  DesignInconsistency d0 = design_inconsistency(net, model, 0.0, heat);
  DesignInconsistency d1 = design_inconsistency(net, model, tau2w, heat);
  auto pack = [&](const DesignInconsistency& d) {
    Rcpp::List l = Rcpp::List::create(
        Rcpp::Named("Q_total") = d.Q_total, Rcpp::Named("df_total") = d.df_total,
        Rcpp::Named("Q_within") = d.Q_within, Rcpp::Named("df_within") = d.df_within,
        Rcpp::Named("Q_between") = d.Q_between, Rcpp::Named("df_between") = d.df_between,
        Rcpp::Named("Q_within_design") = vec(d.Q_within_design),
        Rcpp::Named("df_within_design") = Rcpp::IntegerVector(d.df_within_design.data(), d.df_within_design.data() + d.df_within_design.size()),
        Rcpp::Named("Q_between_design") = vec(d.Q_between_design),
        Rcpp::Named("Q_detach") = vec(d.Q_detach),
        Rcpp::Named("df_detach") = Rcpp::IntegerVector(d.df_detach.data(), d.df_detach.data() + d.df_detach.size()));
    if (heat) l["heat"] = mat(d.heat);
    return l;
  };
  return Rcpp::List::create(Rcpp::Named("core_status") = STATUS_OK,
                            Rcpp::Named("common") = pack(d0),
                            Rcpp::Named("random") = pack(d1),
                            Rcpp::Named("tau2_within") = tau2w);
}

// [[Rcpp::export]]
Rcpp::List contrib_cpp(Rcpp::IntegerVector study, Rcpp::IntegerVector t1,
                       Rcpp::IntegerVector t2, Rcpp::NumericVector y,
                       Rcpp::NumericVector se, int n_study, int n_treat, double tol,
                       int ref, double tau2, bool randomwalk, bool by_study,
                       Rcpp::IntegerVector row_src, Rcpp::IntegerVector row_dst) {
  Network net;
  BuildResult br = make_network(study, t1, t2, y, se, n_study, n_treat, tol, net);
  if (br.code != OK) return rebuild_failure(br);
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
  Rcpp::List out = Rcpp::List::create(Rcpp::Named("core_status") = STATUS_OK,
                                      Rcpp::Named("weights") = mat(c.weights),
                                      Rcpp::Named("a") = a, Rcpp::Named("b") = b);
  if (by_study) out["study"] = mat(c.study);
  return out;
}

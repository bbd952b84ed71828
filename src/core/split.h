// Node-splitting: direct and indirect evidence per comparison.
//
// Back-calculation (SIDE; Konig, Krahn & Binder 2013, Dias et al. 2010): the
// direct estimate is the inverse-variance pooling of the comparison's
// studies with reduced weights, the indirect estimate is back-calculated
// from the network and the direct estimate.
//
// Separate indirect from direct design evidence (SIDDE; Efthimiou et al.
// 2019): the indirect estimate is the network estimate without the studies
// that compare the two treatments. For a fixed tau^2 it is obtained from the
// full fit by a rank-q (Sherman-Morrison-Woodbury) downdate,
//   theta_(S) = theta - C U' (V_S - U C U')^{-1} e_S,
//   var_(S)(c) = c'Cc + (U C c)' (V_S - U C U')^{-1} (U C c);
// when tau^2 is re-estimated the sub-network is fitted directly on small
// networks and, on large ones, its tau^2 comes from low-rank updates of the
// full fit (reduced.h; see split_separate); a removal that drops a treatment
// is fitted directly.
#pragma once

#include "interrupt.h"

#include "evidence.h"
#include "reduced.h"
#include "tau2.h"

#include <functional>
#include <string>

namespace fastnma {

// Estimate of b vs a (original labels) in the sub-network at tau2 (or, when
// tau2 < 0, at tau2 re-estimated by `method`). Returns false if the
// sub-network is disconnected or lacks a or b.
inline bool subnetwork_pair(const Network& net, const std::vector<char>& keep, int a,
                            int b, double tau2, const std::string& method,
                            double tol, double& est, double& var,
                            double& tau2_used) {
  SubNetwork sub = sub_network(net, keep);
  if (sub.map[a] < 0 || sub.map[b] < 0 || !is_connected(sub.net)) return false;
  Model model(sub.net, sub.map[a]);
  if (tau2 < 0) tau2 = estimate_tau2(model, method, tol).tau2;
  tau2_used = tau2;
  Eigen::LLT<MatrixXd> llt;
  Evaluation ev = model.evaluate(tau2, &llt);
  if (!ev.ok) return false;
  int gb = model.g(sub.map[b]);
  est = ev.theta(sub.map[b]);
  VectorXd e = VectorXd::Zero(model.n() - 1);
  e(gb) = 1.0;
  var = llt.solve(e)(gb);
  return true;
}

// Connectivity of the network of the studies with keep[s] set, without
// building it: whether every treatment is still present, whether the
// present ones form one component, and whether a and b are present.
inline void kept_connectivity(const Network& net, const std::vector<char>& keep, int a,
                              int b, bool& all_present, bool& connected, bool& has_a,
                              bool& has_b) {
  const int n = net.n_treat;
  std::vector<int> parent(n);
  std::vector<char> present(n, 0);
  for (int i = 0; i < n; ++i) parent[i] = i;
  auto find = [&](int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (size_t s = 0; s < net.studies.size(); ++s) {
    if (!keep[s]) continue;
    const std::vector<int>& arms = net.studies[s].arms;
    for (int t : arms) present[t] = 1;
    for (size_t j = 1; j < arms.size(); ++j) {
      int x = find(arms[0]), y = find(arms[j]);
      if (x != y) parent[std::max(x, y)] = std::min(x, y);
    }
  }
  int n_present = 0, root = -1;
  connected = true;
  for (int t = 0; t < n; ++t) {
    if (!present[t]) continue;
    ++n_present;
    int r = find(t);
    if (root < 0) root = r;
    else if (r != root) connected = false;
  }
  if (n_present == 0) connected = false;
  all_present = n_present == n;
  has_a = present[a] != 0;
  has_b = present[b] != 0;
}

struct SplitRow {
  int a, b, k;
  double prop = NA_DOUBLE;
  double direct = NA_DOUBLE, direct_var = NA_DOUBLE;
  double indirect = NA_DOUBLE, indirect_var = NA_DOUBLE;
  double network = NA_DOUBLE, network_var = NA_DOUBLE;
  double tau2_indirect = NA_DOUBLE;
  int status = SPLIT_OK;  // a SplitStatus (status.h)
};

// Back-calculation for every direct comparison at the fit f (tau2 = f.tau2);
// `edges` holds the direct estimates (direct_rows at the same tau2).
// `tol_direct`: a direct evidence proportion above 1 - tol_direct means there
// is no indirect evidence.
// The direct and network parts of a split row for one direct comparison.
inline SplitRow direct_row(const Edge& e, const FixedFit& f) {
  SplitRow r;
  r.a = e.a;
  r.b = e.b;
  r.k = static_cast<int>(e.studies.size());
  pair_estimate(f, e.a, e.b, r.network, r.network_var);
  r.direct = e.est();
  r.direct_var = e.var();
  r.prop = r.network_var / r.direct_var;
  return r;
}

inline std::vector<SplitRow> split_backcalc(const std::vector<Edge>& edges,
                                            const FixedFit& f, double tol_direct) {
  std::vector<SplitRow> out;
  for (const Edge& e : edges) {
    SplitRow r = direct_row(e, f);
    if (r.prop > 1.0 - tol_direct) {
      r.status = SPLIT_NO_INDIRECT;
    } else {
      r.indirect = (r.network - r.prop * r.direct) / (1.0 - r.prop);
      // v_net v_dir / (v_dir - v_net), written without the product, which
      // overflows for variances above ~1e154 that are themselves finite
      r.indirect_var = r.network_var / (1.0 - r.prop);
    }
    out.push_back(r);
  }
  return out;
}

// Estimate and variance of b vs a without the set at tau2_S, for tau2_S
// within tau^2 (1 +- 2.5%): the exact downdates at the five full fits
// tau^2 (1 - 2.5%), tau^2 (1 - 0.5%), tau^2, tau^2 (1 + 0.5%),
// tau^2 (1 + 2.5%), interpolated by the quartic through them (the error is
// of the order of the fifth derivative times the product of the distances
// to the nodes); false if tau2_S is further away or a downdate fails.
inline bool interpolated_pair(const Network& net, const FixedFit& f, LowRankTau2& lr,
                              const StudySet& ss, int a, int b, double tau2_S,
                              double& est, double& var) {
  const double t1 = f.tau2;
  if (tau2_S == t1) return set_downdate_pair(net, f, ss, a, b, est, var);
  if (!(t1 > 0) || std::abs(tau2_S - t1) > LowRankTau2::kSide * t1 * (1 + 1e-12)) return false;
  const FixedFit* fits[5] = {&lr.side(false).f, &lr.near(false).f, &f, &lr.near(true).f,
                             &lr.side(true).f};
  double x[5], e[5], v[5];
  for (int i = 0; i < 5; ++i) {
    if (!fits[i]->ok || !set_downdate_pair(net, *fits[i], ss, a, b, e[i], v[i])) return false;
    x[i] = fits[i]->tau2;
  }
  est = 0.0;
  var = 0.0;
  for (int i = 0; i < 5; ++i) {
    double l = 1.0;
    for (int j = 0; j < 5; ++j)
      if (j != i) l *= (tau2_S - x[j]) / (x[i] - x[j]);
    est += l * e[i];
    var += l * v[i];
  }
  return var > 0;
}

// SIDDE for every direct comparison. With reestimate = true the indirect
// network's tau^2 is re-estimated by `method` (as the full fit's); otherwise
// the fit's tau^2 is kept and a low-rank downdate of the fit is used.
// Re-estimation refits each indirect network when E n^3 <= exact_budget (E
// comparisons, n treatments), for the PM estimator, and for a comparison
// whose removal drops a treatment; otherwise tau^2 of the indirect network
// comes from the full fit by low-rank updates (LowRankTau2, as in
// leave_one_out() with the comparison's studies as the removed set), and the
// indirect estimate and variance at that tau^2 by quadratic interpolation of
// exact downdates of fits at tau^2 and nearby values (interpolated_pair); a
// comparison for which these do not apply is refitted.
// `f0`: the fit at tau^2 = 0 (used by the DL estimator); `ref` the fit's
// reference.
template <class Interrupt = NoInterrupt>
std::vector<SplitRow> split_separate(const Network& net, const std::vector<Edge>& edges,
                                     const FixedFit& f, const FixedFit& f0, int ref,
                                     bool reestimate, const std::string& method,
                                     double tol, Interrupt interrupt = Interrupt(),
                                     double exact_budget = 2e9) {
  std::vector<SplitRow> out;
  const int n = net.n_treat;
  const bool refit_tau2 = reestimate && f.tau2 >= 0 && method != "none";
  const double cost = static_cast<double>(edges.size()) * n * n * n;
  const bool low_rank = refit_tau2 && cost > exact_budget &&
                        (method == "DL" || method == "REML" || method == "ML");
  std::unique_ptr<LowRankTau2> lr;
  if (low_rank) lr.reset(new LowRankTau2(net, ref, f0, f, method));
  const int df_full = net.n_obs - (n - 1);
  for (size_t ie = 0; ie < edges.size(); ++ie) {
    if ((ie & 31) == 0) interrupt();
    const Edge& e = edges[ie];
    SplitRow r = direct_row(e, f);
    std::vector<char> keep(net.studies.size(), 1);
    std::vector<int> removed;
    for (const EdgeStudy& es : e.studies) {
      keep[es.study] = 0;
      removed.push_back(es.study);
    }
    // Does every treatment stay, in one connected network? (union-find on
    // the kept studies; no copy of the network)
    bool all_present, connected, has_a, has_b;
    kept_connectivity(net, keep, e.a, e.b, all_present, connected, has_a, has_b);
    if (!connected || !has_a || !has_b) {
      r.status = SPLIT_DISCONNECTED;
      out.push_back(r);
      continue;
    }
    const StudySet ss = study_set(net, removed);
    double est = 0.0, var = 0.0, t2 = NA_DOUBLE;
    bool done = false;
    if (refit_tau2) {
      if (low_rank && all_present && lr->estimate(removed, df_full - ss.q, t2)) {
        done = interpolated_pair(net, f, *lr, ss, e.a, e.b, t2, est, var);
        // tau^2 known, estimate outside the side fits: one fit at it
        if (!done) done = subnetwork_pair(net, keep, e.a, e.b, t2, method, tol, est, var, t2);
      }
      if (!done) done = subnetwork_pair(net, keep, e.a, e.b, -1.0, method, tol, est, var, t2);
    } else if (!all_present) {
      r.tau2_indirect = f.tau2;
      done = subnetwork_pair(net, keep, e.a, e.b, f.tau2, method, tol, est, var, t2);
    } else {
      // Low-rank downdate of the full fit.
      r.tau2_indirect = f.tau2;
      done = set_downdate_pair(net, f, ss, e.a, e.b, est, var);
    }
    if (done) {
      r.indirect = est;
      r.indirect_var = var;
      if (refit_tau2) r.tau2_indirect = t2;
    } else {
      r.status = SPLIT_DISCONNECTED;
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace fastnma

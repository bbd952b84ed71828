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
// when tau^2 is re-estimated, or the removal drops a treatment, the
// sub-network is fitted directly.
#pragma once

#include "evidence.h"
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
  int status = 0;  // 0 ok, 1 no indirect evidence, 2 indirect network disconnected
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
      r.status = 1;
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

// SIDDE for every direct comparison. With reestimate = true the indirect
// network's tau^2 is re-estimated by `method` (as the full fit's); otherwise
// the fit's tau^2 is kept and a low-rank downdate of the fit is used.
template <class Interrupt>
std::vector<SplitRow> split_separate(const Network& net, const std::vector<Edge>& edges,
                                     const FixedFit& f, bool reestimate,
                                     const std::string& method, double tol,
                                     Interrupt interrupt) {
  std::vector<SplitRow> out;
  const int n = net.n_treat;
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
      r.status = 2;
      out.push_back(r);
      continue;
    }
    if (reestimate && f.tau2 >= 0 && method != "none") {
      double est, var, t2;
      if (subnetwork_pair(net, keep, e.a, e.b, -1.0, method, tol, est, var, t2)) {
        r.indirect = est;
        r.indirect_var = var;
        r.tau2_indirect = t2;
      } else {
        r.status = 2;
      }
      out.push_back(r);
      continue;
    }
    r.tau2_indirect = f.tau2;
    if (!all_present) {
      double est, var, t2;
      if (subnetwork_pair(net, keep, e.a, e.b, f.tau2, method, tol, est, var, t2)) {
        r.indirect = est;
        r.indirect_var = var;
      } else {
        r.status = 2;
      }
      out.push_back(r);
      continue;
    }
    // Low-rank downdate of the full fit.
    int q = 0;
    for (int s : removed) q += static_cast<int>(net.studies[s].d.size());
    MatrixXd Z(q, n), M = MatrixXd::Zero(q, q);
    VectorXd res(q);
    int off = 0;
    std::vector<int> offs;
    for (int s : removed) {
      const Study& st = net.studies[s];
      const int qs = static_cast<int>(st.d.size());
      Z.middleRows(off, qs) = study_Z(st, f.C);
      M.block(off, off, qs, qs) = f.W[s].inverse();
      res.segment(off, qs) = f.resid[s];
      offs.push_back(off);
      off += qs;
    }
    for (size_t t = 0; t < removed.size(); ++t) {
      const Study& st = net.studies[removed[t]];
      const int qs = static_cast<int>(st.d.size());
      for (int l = 0; l < qs; ++l)
        M.col(offs[t] + l) -= Z.col(st.arms[l + 1]) - Z.col(st.arms[0]);
    }
    Eigen::LDLT<MatrixXd> ldlt(M);
    VectorXd zc = Z.col(e.b) - Z.col(e.a);
    r.indirect = r.network - zc.dot(ldlt.solve(res));
    r.indirect_var = r.network_var + zc.dot(ldlt.solve(zc));
    out.push_back(r);
  }
  return out;
}

}  // namespace fastnma

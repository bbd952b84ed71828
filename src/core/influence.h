// Leave-one-out influence of each study.
//
// For a study s with basic-contrast design U_s, residuals e_s and covariance
// V_s, the fit without it follows from the full fit by a rank-(p_s - 1)
// downdate (Sherman-Morrison-Woodbury; the block version of Cook's deletion
// formulas), with M_s = V_s - U_s C U_s':
//   theta_(s) = theta - C U_s' M_s^{-1} e_s,
//   C_(s)     = C + C U_s' M_s^{-1} U_s C,
//   Q_(s)     = Q - e_s' M_s^{-1} e_s,   df_(s) = df - (p_s - 1).
// A singular M_s means that the study is the only link of some treatments to
// the rest; such removals are fitted directly on the sub-network, component
// by component. The tau^2 of the network without one study comes from the
// shared routine of reduced.h (LowRankTau2) on large networks.
#pragma once

#include "interrupt.h"

#include "reduced.h"
#include "split.h"

#include <limits>
#include <memory>

namespace fastnma {

// Fit of a possibly disconnected network at tau2, every component grounded
// at its first treatment. theta and C are relative to those grounds; comp
// gives each treatment's component.
struct ComponentFit {
  VectorXd theta;
  MatrixXd C;
  std::vector<int> comp;
  double Q = 0.0;
  int df = 0;
  bool ok = false;
};

inline ComponentFit component_fit(const Network& net, double tau2) {
  ComponentFit out;
  const int n = net.n_treat;
  out.comp = components(net);
  int n_comp = n > 0 ? 1 + *std::max_element(out.comp.begin(), out.comp.end()) : 0;
  std::vector<int> g(n, -1);
  std::vector<char> root_seen(n_comp, 0);
  int m = 0;
  for (int t = 0; t < n; ++t) {
    if (!root_seen[out.comp[t]]) {
      root_seen[out.comp[t]] = 1;
    } else {
      g[t] = m++;
    }
  }
  MatrixXd L = MatrixXd::Zero(m, m);
  VectorXd bg = VectorXd::Zero(m);
  std::vector<MatrixXd> Ws(net.studies.size());
  double ld;
  for (size_t s = 0; s < net.studies.size(); ++s) {
    const Study& st = net.studies[s];
    study_weight(st, tau2, Ws[s], ld);
    const MatrixXd& W = Ws[s];
    const int q = static_cast<int>(st.d.size());
    VectorXd rs = W.rowwise().sum();
    VectorXd v = W * st.d;
    int b0 = g[st.arms[0]];
    if (b0 >= 0) {
      L(b0, b0) += rs.sum();
      bg(b0) -= v.sum();
    }
    for (int j = 0; j < q; ++j) {
      int a = g[st.arms[j + 1]];
      if (a < 0) continue;
      bg(a) += v(j);
      if (b0 >= 0) {
        L(a, b0) -= rs(j);
        L(b0, a) -= rs(j);
      }
      for (int l = 0; l < q; ++l) {
        int c = g[st.arms[l + 1]];
        if (c >= 0) L(a, c) += W(j, l);
      }
    }
  }
  out.theta = VectorXd::Zero(n);
  out.C = MatrixXd::Zero(n, n);
  if (m > 0) {
    Eigen::LLT<MatrixXd> llt(L);
    if (llt.info() != Eigen::Success) return out;
    VectorXd tg = llt.solve(bg);
    MatrixXd Gg = llt.solve(MatrixXd::Identity(m, m));
    for (int a = 0; a < n; ++a) {
      if (g[a] < 0) continue;
      out.theta(a) = tg(g[a]);
      for (int b = 0; b < n; ++b)
        if (g[b] >= 0) out.C(a, b) = Gg(g[a], g[b]);
    }
  }
  for (size_t s = 0; s < net.studies.size(); ++s) {
    const Study& st = net.studies[s];
    const int q = static_cast<int>(st.d.size());
    VectorXd r(q);
    for (int j = 0; j < q; ++j) r(j) = st.d(j) - (out.theta(st.arms[j + 1]) - out.theta(st.arms[0]));
    out.Q += r.dot(Ws[s] * r);
  }
  out.df = net.n_obs - (n - n_comp);
  out.ok = true;
  return out;
}

// U X U' (q x q) for one study's basic contrasts and an n x n matrix X.
inline MatrixXd study_sandwich(const Study& st, const MatrixXd& X) {
  const int q = static_cast<int>(st.d.size());
  const int b = st.arms[0];
  MatrixXd out(q, q);
  for (int j = 0; j < q; ++j) {
    const int a = st.arms[j + 1];
    for (int l = 0; l < q; ++l) {
      const int c = st.arms[l + 1];
      out(j, l) = X(a, c) - X(a, b) - X(b, c) + X(b, b);
    }
  }
  return out;
}

struct LeaveOneOut {
  // per study
  VectorXd Q_common;
  Eigen::VectorXi df;
  VectorXd tau2;             // re-estimated (NaN if not estimable)
  Eigen::VectorXi disconnects;  // 1 if the removal drops or cuts off treatments
  // per study x treatment (n columns; effects vs the reference, NaN where
  // not estimable)
  MatrixXd est_common, se_common, est_random, se_random;
  // per study x pair (i > j, column-major lower triangle order): 1 - var/var_(s)
  // (only when asked: k x n(n-1)/2 numbers), and the largest impact per study
  MatrixXd impact_common, impact_random;
  VectorXd max_impact_common, max_impact_random;
};

// Fill one model's rows (estimates, se, impact) for study s from a
// Woodbury downdate or a component fit.
inline void loo_downdate(const Network& net, const FixedFit& f, int s, int ref,
                         MatrixXd& est, MatrixXd& se, MatrixXd* impact, double& max_imp,
                         double* Q, int* df_lost, bool& singular) {
  const Study& st = net.studies[s];
  const int n = net.n_treat;
  MatrixXd Z = study_Z(st, f.C);
  MatrixXd V = f.W[s].inverse();
  MatrixXd M = V - study_H(st, Z);
  int rank;
  MatrixXd Mi = pinv_sym(M, rank, 1e-10, V.diagonal().maxCoeff());
  const int q = static_cast<int>(st.d.size());
  if (rank < q) {
    singular = true;
    return;
  }
  singular = false;
  VectorXd theta = f.theta - Z.transpose() * (Mi * f.resid[s]);
  MatrixXd MZ = Mi * Z;  // q x n
  // var_(s)(i,j) = var(i,j) + (z_i - z_j)' Mi (z_i - z_j)
  MatrixXd K = Z.transpose() * MZ;  // n x n, added to C
  for (int t = 0; t < n; ++t) {
    est(s, t) = theta(t) - theta(ref);
    double v = f.C(t, t) + K(t, t) + f.C(ref, ref) + K(ref, ref) - 2.0 * (f.C(t, ref) + K(t, ref));
    se(s, t) = t == ref ? 0.0 : std::sqrt(std::max(v, 0.0));
  }
  int col = 0;
  max_imp = n > 1 ? -std::numeric_limits<double>::infinity() : NA_DOUBLE;
  for (int j = 0; j < n; ++j) {
    for (int i = j + 1; i < n; ++i) {
      double v0 = f.C(i, i) + f.C(j, j) - 2.0 * f.C(i, j);
      double v1 = v0 + K(i, i) + K(j, j) - 2.0 * K(i, j);
      double imp = 1.0 - v0 / v1;
      if (std::abs(imp) < 1e-12) imp = 0.0;
      if (impact) (*impact)(s, col) = imp;
      ++col;
      if (imp > max_imp) max_imp = imp;
    }
  }
  if (Q) *Q = f.Q - f.resid[s].dot(Mi * f.resid[s]);
  if (df_lost) *df_lost = q;
}

inline void loo_components(const Network& net, const FixedFit& f, int s, int ref,
                           double tau2, MatrixXd& est, MatrixXd& se,
                           MatrixXd* impact, double& max_imp, double* Q, int* df) {
  const int n = net.n_treat;
  std::vector<char> keep(net.studies.size(), 1);
  keep[s] = 0;
  SubNetwork sub = sub_network(net, keep);
  ComponentFit cf = component_fit(sub.net, tau2);
  auto same = [&](int i, int j) {
    int a = sub.map[i], b = sub.map[j];
    return a >= 0 && b >= 0 && cf.comp[a] == cf.comp[b];
  };
  auto var = [&](int i, int j) {
    int a = sub.map[i], b = sub.map[j];
    return cf.C(a, a) + cf.C(b, b) - 2.0 * cf.C(a, b);
  };
  for (int t = 0; t < n; ++t) {
    if (t == ref) {
      est(s, t) = 0.0;
      se(s, t) = 0.0;
    } else if (same(t, ref)) {
      est(s, t) = cf.theta(sub.map[t]) - cf.theta(sub.map[ref]);
      se(s, t) = std::sqrt(std::max(var(t, ref), 0.0));
    } else {
      est(s, t) = NA_DOUBLE;
      se(s, t) = NA_DOUBLE;
    }
  }
  int col = 0;
  max_imp = n > 1 ? -std::numeric_limits<double>::infinity() : NA_DOUBLE;
  for (int j = 0; j < n; ++j) {
    for (int i = j + 1; i < n; ++i) {
      double v0 = f.C(i, i) + f.C(j, j) - 2.0 * f.C(i, j);
      double imp = same(i, j) ? 1.0 - v0 / var(i, j) : 1.0;
      if (std::abs(imp) < 1e-12) imp = 0.0;
      if (impact) (*impact)(s, col) = imp;
      ++col;
      if (imp > max_imp) max_imp = imp;
    }
  }
  if (Q) *Q = cf.Q;
  if (df) *df = cf.df;
}

// Leave-one-out of the studies s_begin <= s < s_end (all by default; rows
// of the others stay NA, so that chunks can run apart). `store_impact` keeps the k x n(n-1)/2
// impact matrices (otherwise only the largest impact per study). With
// `reestimate_tau2`, tau^2 is re-estimated without each study: by refits of
// the reduced networks when k n^3 <= exact_budget (or for the PM estimator,
// or for a study whose removal disconnects the network), otherwise from the
// full fit by low-rank updates: DL exactly (Q, df and tr(WR) - tr(GM) of the
// reduced network at tau^2 = 0), REML and ML by one Newton step from the
// full-network estimate with the reduced network's exact score and second
// derivative there (ReducedLikelihood) when that step is at most 1e-4 of
// tau^2, else the root of the cubic Hermite interpolant of the reduced
// network's score between tau^2 and tau^2 (1 +- 2.5%) (full fits there,
// low-rank updates per study); steps beyond are refitted.
template <class Interrupt = NoInterrupt>
LeaveOneOut leave_one_out(const Network& net, const FixedFit& f0, const FixedFit& f1,
                          int ref, const std::string& method, double tol,
                          bool reestimate_tau2, Interrupt interrupt = Interrupt(),
                          bool store_impact = true, double exact_budget = 2e9,
                          int s_begin = 0, int s_end = -1) {
  const int k = static_cast<int>(net.studies.size());
  const int n = net.n_treat;
  const int n_pairs = n * (n - 1) / 2;
  const int df_full = net.n_obs - (n - 1);
  LeaveOneOut out;
  out.Q_common = VectorXd::Constant(k, NA_DOUBLE);
  out.df = Eigen::VectorXi::Zero(k);
  out.tau2 = VectorXd::Constant(k, NA_DOUBLE);
  out.disconnects = Eigen::VectorXi::Zero(k);
  out.est_common = MatrixXd::Constant(k, n, NA_DOUBLE);
  out.se_common = out.est_common;
  out.est_random = out.est_common;
  out.se_random = out.est_common;
  out.max_impact_common = VectorXd::Constant(k, NA_DOUBLE);
  out.max_impact_random = out.max_impact_common;
  MatrixXd* imp0 = nullptr;
  MatrixXd* imp1 = nullptr;
  if (store_impact) {
    out.impact_common = MatrixXd::Constant(k, n_pairs, NA_DOUBLE);
    out.impact_random = out.impact_common;
    imp0 = &out.impact_common;
    imp1 = &out.impact_random;
  }
  const double cost = static_cast<double>(k) * n * n * n;
  const bool low_rank = reestimate_tau2 && cost > exact_budget &&
                        (method == "DL" || method == "REML" || method == "ML");
  std::unique_ptr<LowRankTau2> lr;
  if (low_rank) lr.reset(new LowRankTau2(net, ref, f0, f1, method));
  if (s_end < 0 || s_end > k) s_end = k;
  for (int s = std::max(0, s_begin); s < s_end; ++s) {
    if ((s & 15) == 0) interrupt();
    double Q;
    int lost = 0;
    bool singular;
    loo_downdate(net, f0, s, ref, out.est_common, out.se_common, imp0,
                 out.max_impact_common(s), &Q, &lost, singular);
    if (!singular) {
      out.Q_common(s) = Q;
      out.df(s) = df_full - lost;
      bool sing1;
      loo_downdate(net, f1, s, ref, out.est_random, out.se_random, imp1,
                   out.max_impact_random(s), nullptr, nullptr, sing1);
      if (sing1) {
        loo_components(net, f1, s, ref, f1.tau2, out.est_random, out.se_random,
                       imp1, out.max_impact_random(s), nullptr, nullptr);
      }
    } else {
      out.disconnects(s) = 1;
      int df;
      loo_components(net, f0, s, ref, 0.0, out.est_common, out.se_common,
                     imp0, out.max_impact_common(s), &Q, &df);
      out.Q_common(s) = Q;
      out.df(s) = df;
      loo_components(net, f1, s, ref, f1.tau2, out.est_random, out.se_random,
                     imp1, out.max_impact_random(s), nullptr, nullptr);
    }
    if (!reestimate_tau2) continue;
    if (low_rank && !out.disconnects(s)) {
      double t;
      if (lr->estimate(std::vector<int>{s}, out.df(s), t)) {
        out.tau2(s) = t;
        continue;
      }
    }
    std::vector<char> keep(k, 1);
    keep[s] = 0;
    SubNetwork sub = sub_network(net, keep);
    if (sub.net.n_treat >= 2 && is_connected(sub.net)) {
      Model model(sub.net, 0);
      out.tau2(s) = estimate_tau2(model, method, tol).tau2;
    }
  }
  return out;
}

}  // namespace fastnma

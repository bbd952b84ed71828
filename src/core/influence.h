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
// by component.
#pragma once

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

// Derivatives of the (restricted) likelihood of the network without one
// study, at the tau^2 of a fixed fit of the full network, by low-rank
// updates of the full fit (no refit). With D = C U'K U C (K = (V_s - H_s)^{-1})
// the downdated covariance is C + D and M loses U'A U (A = W R W); every
// trace of the score and of the second derivative (Model::derivs) becomes
// the full-network trace plus q x q products of H = U C U', U (CMC) U',
// U (CMCMC) U' and U (C M2 C) U'. Residuals of the other studies move with
// theta and are recomputed (O(k) per study).
struct ReducedLikelihood {
  const Network& net;
  const FixedFit& f;
  bool reml;
  MatrixXd Mf, M2f, P, P3, P2;  // n x n
  double trWR = 0, trWRWR = 0, trGM = 0, trGM2 = 0, trGMGM = 0;
  std::vector<MatrixXd> Rs;

  ReducedLikelihood(const Network& net_, const FixedFit& f_, bool reml_, bool hessian)
      : net(net_), f(f_), reml(reml_) {
    const int n = net.n_treat;
    Mf = MatrixXd::Zero(n, n);
    if (hessian) M2f = MatrixXd::Zero(n, n);
    Rs.resize(net.studies.size());
    for (size_t s = 0; s < net.studies.size(); ++s) {
      const Study& st = net.studies[s];
      const int q = static_cast<int>(st.d.size());
      MatrixXd R = MatrixXd::Constant(q, q, 0.5);
      R.diagonal().array() = 1.0;
      Rs[s] = R;
      MatrixXd WR = f.W[s] * R;
      trWR += WR.trace();
      MatrixXd A = WR * f.W[s];
      add_full(st, A, Mf);
      if (hessian) {
        trWRWR += (WR * WR).trace();
        add_full(st, A * R * f.W[s], M2f);
      }
    }
    MatrixXd CM = f.C * Mf;
    P = CM * f.C;
    trGM = CM.trace();
    if (hessian) {
      trGMGM = (CM.array() * CM.transpose().array()).sum();
      P3 = P * Mf * f.C;
      MatrixXd CM2 = f.C * M2f;
      trGM2 = CM2.trace();
      P2 = CM2 * f.C;
    }
  }

  // U' A U added into an n x n matrix.
  static void add_full(const Study& st, const MatrixXd& A, MatrixXd& X) {
    const int q = static_cast<int>(st.d.size());
    const int b = st.arms[0];
    for (int j = 0; j < q; ++j) {
      const int a = st.arms[j + 1];
      for (int l = 0; l < q; ++l) {
        const int c = st.arms[l + 1];
        X(a, c) += A(j, l);
        X(a, b) -= A(j, l);
        X(b, c) -= A(j, l);
        X(b, b) += A(j, l);
      }
    }
  }

  // Score and second derivative without study s (false if the downdate is
  // singular, i.e. the removal disconnects the network). `Q` and `slope`
  // receive Q and tr(W R) - tr(G M) of the reduced network (the pieces of
  // the DL estimator when the fit is at tau^2 = 0).
  bool eval(int s, bool hessian, double& score, double& hess, double& Q,
            double& slope) const {
    const Study& st = net.studies[s];
    const int q = static_cast<int>(st.d.size());
    MatrixXd Z = study_Z(st, f.C);
    MatrixXd H = study_H(st, Z);
    MatrixXd V = f.W[s].inverse();
    Eigen::LLT<MatrixXd> kl(V - H);
    if (kl.info() != Eigen::Success) return false;
    MatrixXd K = kl.solve(MatrixXd::Identity(q, q));
    // guard against a numerically singular downdate
    if (!(K.diagonal().maxCoeff() * V.diagonal().maxCoeff() < 1e10)) return false;
    const MatrixXd& W = f.W[s];
    const MatrixXd& R = Rs[s];
    MatrixXd A = W * R * W;
    MatrixXd P1 = study_sandwich(st, P);
    double trGM_s = trGM - (A * H).trace() + (K * P1).trace() - (K * H * A * H).trace();
    double trWR_s = trWR - (W * R).trace();
    // theta without s, and the residual sums of the other studies
    VectorXd Ke = K * f.resid[s];
    VectorXd theta = f.theta - Z.transpose() * Ke;
    const int n = net.n_treat;
    double rWr = 0, rWRWr = 0, rWRWRWr = 0;
    VectorXd h = VectorXd::Zero(n);
    for (size_t t = 0; t < net.studies.size(); ++t) {
      if (static_cast<int>(t) == s) continue;
      const Study& su = net.studies[t];
      const int qt = static_cast<int>(su.d.size());
      if (qt == 1) {  // two-arm study: scalars, no allocation
        const double w = f.W[t](0, 0);
        const double r = su.d(0) - (theta(su.arms[1]) - theta(su.arms[0]));
        rWr += w * r * r;
        rWRWr += w * w * r * r;
        if (hessian) {
          const double wrwr = w * w * r;  // W R W r
          rWRWRWr += w * r * wrwr;
          h(su.arms[0]) -= wrwr;
          h(su.arms[1]) += wrwr;
        }
        continue;
      }
      VectorXd r(qt);
      for (int j = 0; j < qt; ++j)
        r(j) = su.d(j) - (theta(su.arms[j + 1]) - theta(su.arms[0]));
      VectorXd Wr = f.W[t] * r;
      rWr += r.dot(Wr);
      VectorXd RWr = Rs[t] * Wr;
      rWRWr += Wr.dot(RWr);
      if (hessian) {
        VectorXd WRWr = f.W[t] * RWr;
        rWRWRWr += RWr.dot(WRWr);
        h(su.arms[0]) -= WRWr.sum();
        for (int j = 0; j < qt; ++j) h(su.arms[j + 1]) += WRWr(j);
      }
    }
    Q = rWr;
    slope = trWR_s - trGM_s;
    score = -0.5 * (trWR_s - rWRWr);
    if (reml) score += 0.5 * trGM_s;
    hess = 0.0;
    if (hessian) {
      MatrixXd B = A * R * W;
      double trWRWR_s = trWRWR - (W * R * W * R).trace();
      VectorXd Zh = Z * h;
      double hGh = h.dot(f.C * h) + Zh.dot(K * Zh);
      hess = -0.5 * (-trWRWR_s + 2.0 * rWRWRWr - 2.0 * hGh);
      if (reml) {
        MatrixXd P3s = study_sandwich(st, P3), P2s = study_sandwich(st, P2);
        double trGM2_s = trGM2 - (B * H).trace() + (K * P2s).trace() - (K * H * B * H).trace();
        MatrixXd KH = K * H, AH = A * H, KP1 = K * P1;
        double x12 = (K * P3s).trace();
        double x13 = (A * P1).trace();
        double x14 = (KH * A * P1).trace();
        double x22 = (KP1 * KP1).trace();
        double x23 = (KP1 * AH).trace();
        double x24 = (KP1 * KH * AH).trace();
        double x33 = (AH * AH).trace();
        double x34 = (AH * KH * AH).trace();
        MatrixXd KHAH = KH * AH;
        double x44 = (KHAH * KHAH).trace();
        double trGMGM_s = trGMGM + x22 + x33 + x44 +
                          2.0 * (x12 - x13 - x14 - x23 - x24 + x34);
        hess += -0.5 * (-trGMGM_s + 2.0 * trGM2_s);
      }
    }
    return true;
  }
};

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

// A full fit at a second tau^2 with its low-rank machinery.
struct SideFit {
  double tau2;
  std::unique_ptr<Model> model;
  FixedFit f;
  std::unique_ptr<ReducedLikelihood> rl;
  bool ok = false;
  SideFit(const Network& net, int ref, double t, bool reml) : tau2(t) {
    model.reset(new Model(net, ref));
    f = fixed_fit(*model, t);
    ok = f.ok;
    if (ok) rl.reset(new ReducedLikelihood(net, f, reml, true));
  }
};

// Root in [min(x0, x1), max(x0, x1)] of the cubic Hermite interpolant of a
// function with values p0, p1 and slopes m0, m1 at x0, x1 (Newton from x).
inline bool hermite_root(double x0, double x1, double p0, double m0, double p1,
                         double m1, double x, double& root) {
  const double hh = x1 - x0;
  double u = (x - x0) / hh;
  for (int it = 0; it < 50; ++it) {
    const double u2 = u * u, u3 = u2 * u;
    const double H = (2 * u3 - 3 * u2 + 1) * p0 + (u3 - 2 * u2 + u) * hh * m0 +
                     (-2 * u3 + 3 * u2) * p1 + (u3 - u2) * hh * m1;
    const double dH = (6 * u2 - 6 * u) * p0 + (3 * u2 - 4 * u + 1) * hh * m0 +
                      (-6 * u2 + 6 * u) * p1 + (3 * u2 - 2 * u) * hh * m1;
    if (dH == 0.0) return false;
    const double du = H / dH;
    u -= du;
    if (std::abs(du) < 1e-14) {
      if (u < -1e-12 || u > 1.0 + 1e-12) return false;
      root = x0 + u * hh;
      return true;
    }
  }
  return false;
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
template <class Interrupt>
LeaveOneOut leave_one_out(const Network& net, const FixedFit& f0, const FixedFit& f1,
                          int ref, const std::string& method, double tol,
                          bool reestimate_tau2, Interrupt interrupt,
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
  std::unique_ptr<ReducedLikelihood> rl;
  std::unique_ptr<SideFit> side_lo, side_hi;
  if (low_rank) {
    if (method == "DL") rl.reset(new ReducedLikelihood(net, f0, false, false));
    else rl.reset(new ReducedLikelihood(net, f1, method == "REML", true));
  }
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
      double score, hess, Qs, slope;
      if (method == "DL") {
        if (rl->eval(s, false, score, hess, Qs, slope)) {
          const int df_s = out.df(s);
          double t = 0.0;
          if (df_s > 0 && Qs > df_s && slope > 0) t = (Qs - df_s) / slope;
          out.tau2(s) = t;
          continue;
        }
      } else if (rl->eval(s, true, score, hess, Qs, slope)) {
        if (f1.tau2 == 0.0 && score <= 0.0) {
          out.tau2(s) = 0.0;  // still at the boundary
          continue;
        }
        // One Newton step when it is tiny (error of the order of its
        // square); otherwise the score is interpolated (cubic Hermite, from
        // its values and slopes at tau^2 and at tau^2 (1 +- 2.5%), both by
        // low-rank updates) and its root taken; beyond that, a refit.
        const double step = hess < 0 ? -score / hess : NA_DOUBLE;
        if (hess < 0 && std::abs(step) <= 1e-4 * f1.tau2) {
          out.tau2(s) = std::max(0.0, f1.tau2 + step);
          continue;
        }
        if (hess < 0 && f1.tau2 > 0 && std::abs(step) <= 0.025 * f1.tau2) {
          const bool up = step > 0;
          std::unique_ptr<SideFit>& side = up ? side_hi : side_lo;
          if (!side) side.reset(new SideFit(net, ref, f1.tau2 * (up ? 1.025 : 0.975),
                                            method == "REML"));
          double s1, h1, q1, sl1;
          double root;
          if (side->ok && side->rl->eval(s, true, s1, h1, q1, sl1) &&
              hermite_root(f1.tau2, side->tau2, score, hess, s1, h1, f1.tau2 + step, root)) {
            out.tau2(s) = root;
            continue;
          }
        }
        if (hess < 0 && f1.tau2 == 0.0 && step > 0 && step <= 1e-5 * median_within_variance(net)) {
          out.tau2(s) = step;
          continue;
        }
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

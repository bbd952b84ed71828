// The contrast-based NMA model for a given heterogeneity variance tau^2.
//
// Per study s with basic contrasts d_s (arms j vs the base arm) the model is
//   d_s ~ N(C_s theta, S_s + tau^2 R_s),  R_s = (I + J) / 2,
// i.e. a common tau^2 with correlation 1/2 between the contrasts of one study
// (Rucker 2012; Rucker & Schwarzer 2014; the canonical contrast-based model
// that metafor::rma.mv(struct = "CS", rho = 0.5) fits). C_s maps treatment
// effects to the basic contrasts. The normal equations are assembled edge by
// edge into the Laplacian L = sum_s C_s' W_s C_s, W_s = (S_s + tau^2 R_s)^-1,
// grounded at the reference treatment and solved with one Cholesky
// factorisation. Nothing of size (number of comparisons)^2 is formed.
#pragma once

#include "network.h"

#include <Eigen/Sparse>

namespace fastnma {

// Inverse of an SPD matrix from its Cholesky factor F (A = F F'), in about
// 2/3 n^3 flops instead of the 2 n^3 of solving against the identity:
// X = F^{-1} block column by block column (each block only touches the
// trailing triangle), then A^{-1} = X' X from the lower triangles.
inline void spd_inverse(const Eigen::LLT<MatrixXd>& llt, MatrixXd& G) {
  const Eigen::Index n = llt.rows();
  const MatrixXd& F = llt.matrixLLT();
  G.resize(n, n);
  if (n == 0) return;
  MatrixXd X = MatrixXd::Zero(n, n);
  const Eigen::Index bs = 64;
  for (Eigen::Index j0 = 0; j0 < n; j0 += bs) {
    const Eigen::Index b = std::min(bs, n - j0), m = n - j0;
    X.block(j0, j0, b, b).setIdentity();
    F.block(j0, j0, m, m).triangularView<Eigen::Lower>().solveInPlace(X.block(j0, j0, m, b));
  }
  for (Eigen::Index j0 = 0; j0 < n; j0 += bs) {
    const Eigen::Index b = std::min(bs, n - j0), m = n - j0;
    G.block(j0, j0, m, b).noalias() =
        X.block(j0, j0, m, m).transpose().triangularView<Eigen::Upper>() *
        X.block(j0, j0, m, b);
  }
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < j; ++i) G(i, j) = G(j, i);
}

// Per-study weight matrix W = (S + tau2 (I + J) / 2)^{-1} and log|S + ...|.
inline void study_weight(const Study& st, double tau2, MatrixXd& W,
                         double& logdet) {
  const int q = static_cast<int>(st.d.size());
  if (q == 1) {
    double v = st.S(0, 0) + tau2;
    W.resize(1, 1);
    W(0, 0) = 1.0 / v;
    logdet = std::log(v);
    return;
  }
  MatrixXd V = st.S;
  V.array() += tau2 / 2.0;
  V.diagonal().array() += tau2 / 2.0;
  Eigen::LLT<MatrixXd> llt(V);
  W = llt.solve(MatrixXd::Identity(q, q));
  logdet = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
}

// Everything the estimators and the result need at one tau^2.
struct Evaluation {
  double tau2 = 0.0;
  VectorXd theta;        // length n, theta[ref] = 0
  double Q = 0.0;        // generalised Q: sum_s r_s' W_s r_s
  double logdet_V = 0.0; // sum_s log|V_s|
  double logdet_L = 0.0; // log|grounded Laplacian|
  bool ok = false;
};

class Model {
 public:
  Model(const Network& net, int ref) : net_(net), ref_(ref) {
    n_ = net.n_treat;
    // log|X'X| of the grounded design with unit weights (metafor's REML
    // likelihood carries it; it does not depend on the choice of reference).
    MatrixXd L0 = MatrixXd::Zero(n_ - 1, n_ - 1);
    for (const Study& st : net_.studies) {
      const int q = static_cast<int>(st.d.size());
      MatrixXd I = MatrixXd::Identity(q, q);
      add_study(st, I, L0);
    }
    Eigen::LLT<MatrixXd> llt(L0);
    logdet_XtX_ = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  }

  int n() const { return n_; }
  int n_coef() const { return n_ - 1; }  // free parameters (theta[ref] = 0)
  int ref() const { return ref_; }
  const Network& network() const { return net_; }
  double logdet_XtX() const { return logdet_XtX_; }
  int g(int t) const { return t == ref_ ? -1 : (t < ref_ ? t : t - 1); }

  // Add C' W C for one study into the grounded matrix L.
  void add_study(const Study& st, const MatrixXd& W, MatrixXd& L) const {
    const int q = static_cast<int>(st.d.size());
    const int b = g(st.arms[0]);
    VectorXd rs = W.rowwise().sum();
    double tot = rs.sum();
    if (b >= 0) L(b, b) += tot;
    for (int j = 0; j < q; ++j) {
      int a = g(st.arms[j + 1]);
      if (a < 0) continue;
      if (b >= 0) {
        L(a, b) -= rs(j);
        L(b, a) -= rs(j);
      }
      for (int l = 0; l < q; ++l) {
        int c = g(st.arms[l + 1]);
        if (c >= 0) L(a, c) += W(j, l);
      }
    }
  }

  // add_study() and add_rhs() for a two-arm study with weight w (the same
  // operations on 1 x 1 matrices, without allocating them).
  void add_two_arm(const Study& st, double w, MatrixXd& L) const {
    const int b = g(st.arms[0]);
    const int a = g(st.arms[1]);
    if (b >= 0) L(b, b) += w;
    if (a < 0) return;
    if (b >= 0) {
      L(a, b) -= w;
      L(b, a) -= w;
    }
    L(a, a) += w;
  }
  void add_two_arm_rhs(const Study& st, double v, VectorXd& bg) const {
    const int b = g(st.arms[0]);
    if (b >= 0) bg(b) -= v;
    const int a = g(st.arms[1]);
    if (a >= 0) bg(a) += v;
  }

  // Add C' v for one study into the grounded vector b.
  void add_rhs(const Study& st, const VectorXd& v, VectorXd& bg) const {
    const int q = static_cast<int>(st.d.size());
    const int b = g(st.arms[0]);
    if (b >= 0) bg(b) -= v.sum();
    for (int j = 0; j < q; ++j) {
      int a = g(st.arms[j + 1]);
      if (a >= 0) bg(a) += v(j);
    }
  }

  // Residuals of one study given the full theta.
  VectorXd residual(const Study& st, const VectorXd& theta) const {
    const int q = static_cast<int>(st.d.size());
    VectorXd r(q);
    for (int j = 0; j < q; ++j)
      r(j) = st.d(j) - (theta(st.arms[j + 1]) - theta(st.arms[0]));
    return r;
  }

  // Fit at tau2. If `llt_out` is given, the factorisation is kept there.
  Evaluation evaluate(double tau2, Eigen::LLT<MatrixXd>* llt_out = nullptr) const {
    Evaluation ev;
    ev.tau2 = tau2;
    MatrixXd L = MatrixXd::Zero(n_ - 1, n_ - 1);
    VectorXd bg = VectorXd::Zero(n_ - 1);
    std::vector<MatrixXd> Ws(net_.studies.size());
    MatrixXd W;
    double ld;
    std::vector<double> w1(net_.studies.size(), 0.0);
    for (size_t s = 0; s < net_.studies.size(); ++s) {
      const Study& st = net_.studies[s];
      if (st.d.size() == 1) {
        // a two-arm study: the same arithmetic as below on 1 x 1 matrices,
        // without allocating them
        const double v = st.S(0, 0) + tau2;
        const double w = 1.0 / v;
        ev.logdet_V += std::log(v);
        add_two_arm(st, w, L);
        add_two_arm_rhs(st, w * st.d(0), bg);
        w1[s] = w;
        continue;
      }
      study_weight(st, tau2, W, ld);
      ev.logdet_V += ld;
      add_study(st, W, L);
      add_rhs(st, W * st.d, bg);
      Ws[s] = W;
    }
    Eigen::LLT<MatrixXd> llt(L);
    if (llt.info() != Eigen::Success) return ev;
    ev.logdet_L = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
    VectorXd tg = llt.solve(bg);
    ev.theta = VectorXd::Zero(n_);
    for (int t = 0; t < n_; ++t) {
      int k = g(t);
      if (k >= 0) ev.theta(t) = tg(k);
    }
    for (size_t s = 0; s < net_.studies.size(); ++s) {
      const Study& st = net_.studies[s];
      if (st.d.size() == 1) {
        const double r = st.d(0) - (ev.theta(st.arms[1]) - ev.theta(st.arms[0]));
        ev.Q += r * (w1[s] * r);
        continue;
      }
      VectorXd r = residual(st, ev.theta);
      ev.Q += r.dot(Ws[s] * r);
    }
    if (llt_out) *llt_out = llt;
    ev.ok = true;
    return ev;
  }

  // Full n x n covariance of theta from a grounded factorisation.
  MatrixXd covariance(const Eigen::LLT<MatrixXd>& llt) const {
    MatrixXd Gg;
    spd_inverse(llt, Gg);
    return expand(Gg);
  }

  // The grounded (n-1) x (n-1) inverse as the n x n covariance (zero row
  // and column at the reference).
  MatrixXd expand(const MatrixXd& Gg) const {
    MatrixXd C = MatrixXd::Zero(n_, n_);
    for (int a = 0; a < n_; ++a) {
      int ga = g(a);
      if (ga < 0) continue;
      for (int b = 0; b < n_; ++b) {
        int gb = g(b);
        if (gb >= 0) C(a, b) = Gg(ga, gb);
      }
    }
    return C;
  }

  // Maximum and restricted log-likelihood at an evaluation.
  double loglik_ml(const Evaluation& ev) const {
    return -0.5 * (net_.n_obs * std::log(2.0 * M_PI) + ev.logdet_V + ev.Q);
  }
  double loglik_reml(const Evaluation& ev) const {
    return -0.5 * ((net_.n_obs - (n_ - 1)) * std::log(2.0 * M_PI) +
                   ev.logdet_V + ev.logdet_L - logdet_XtX_ + ev.Q);
  }

  // Pieces of the moment and likelihood equations at tau2:
  //   trWR  = tr(W R),  trLM = tr(L^-1 C'W R W C),  rWRWr = r'W R W r
  // (residuals r at `theta`, if given). trWR - trLM is the expected-Q slope,
  // the denominator of the generalised DerSimonian-Laird estimator (Jackson,
  // White & Riley 2012) and the trace term of the REML score.
  struct ScoreParts {
    double trWR = 0.0, trLM = 0.0, rWRWr = 0.0;
  };
  ScoreParts score_parts(double tau2, const VectorXd* theta, bool need_trLM) const {
    ScoreParts out;
    MatrixXd L = MatrixXd::Zero(n_ - 1, n_ - 1);
    MatrixXd M = MatrixXd::Zero(n_ - 1, n_ - 1);
    MatrixXd W, WRW;
    double ld;
    for (const Study& st : net_.studies) {
      const int q = static_cast<int>(st.d.size());
      study_weight(st, tau2, W, ld);
      MatrixXd R = MatrixXd::Constant(q, q, 0.5);
      R.diagonal().array() = 1.0;
      out.trWR += (W * R).trace();
      if (theta) {
        VectorXd Wr = W * residual(st, *theta);
        out.rWRWr += Wr.dot(R * Wr);
      }
      if (need_trLM) {
        WRW = W * R * W;
        add_study(st, W, L);
        add_study(st, WRW, M);
      }
    }
    if (need_trLM) {
      Eigen::LLT<MatrixXd> llt(L);
      MatrixXd G;
      spd_inverse(llt, G);
      out.trLM = (G.array() * M.array()).sum();
    }
    return out;
  }

  // The (restricted) log-likelihood with its first and second derivatives
  // in tau^2, from one factorisation and one inverse G of the grounded
  // Laplacian L. With V_s = S_s + tau^2 R_s, W_s = V_s^{-1}, M = C'WRWC,
  // M2 = C'WRWRWC, h = C'WRW r (r the GLS residuals):
  //   ML score   -1/2 [tr(WR) - r'WRWr]
  //   ML hessian -1/2 [-tr(WRWR) + 2 r'WRWRWr - 2 h'G h]
  //   REML adds  +1/2 tr(GM) to the score and
  //              -1/2 [-tr(GMGM) + 2 tr(G M2)] to the hessian
  // (d L / d tau^2 = -M, d theta / d tau^2 = -G h, Q' = -r'WRWr).
  // `G_out`, if given, receives G; `ev_out` the evaluation.
  struct Derivs {
    double loglik = 0.0, score = 0.0, hessian = 0.0;
    double trWR = 0.0, trGM = 0.0;  // pieces of the DL denominator
    bool ok = false;
  };
  Derivs derivs(double tau2, bool reml, bool need_hessian, MatrixXd* G_out,
                Evaluation* ev_out) const {
    Derivs out;
    Evaluation ev;
    ev.tau2 = tau2;
    const int m = n_ - 1;
    const size_t k = net_.studies.size();
    MatrixXd L = MatrixXd::Zero(m, m), M = MatrixXd::Zero(m, m), M2;
    if (need_hessian) M2 = MatrixXd::Zero(m, m);
    VectorXd bg = VectorXd::Zero(m);
    std::vector<MatrixXd> Ws(k);
    double ld, trWRWR = 0.0;
    std::vector<double> w1(k, 0.0);
    for (size_t s = 0; s < k; ++s) {
      const Study& st = net_.studies[s];
      const int q = static_cast<int>(st.d.size());
      if (q == 1) {
        // a two-arm study: R = 1, the products below on 1 x 1 matrices
        const double v = st.S(0, 0) + tau2;
        const double w = 1.0 / v;
        ev.logdet_V += std::log(v);
        add_two_arm(st, w, L);
        add_two_arm_rhs(st, w * st.d(0), bg);
        const double wr = w * 1.0;
        out.trWR += wr;
        const double wrw = wr * w;
        add_two_arm(st, wrw, M);
        if (need_hessian) {
          trWRWR += wr * wr;
          add_two_arm(st, (wrw * 1.0) * w, M2);
        }
        w1[s] = w;
        continue;
      }
      study_weight(st, tau2, Ws[s], ld);
      const MatrixXd& W = Ws[s];
      ev.logdet_V += ld;
      add_study(st, W, L);
      add_rhs(st, W * st.d, bg);
      MatrixXd R = MatrixXd::Constant(q, q, 0.5);
      R.diagonal().array() = 1.0;
      MatrixXd WR = W * R;
      out.trWR += WR.trace();
      MatrixXd WRW = WR * W;
      add_study(st, WRW, M);
      if (need_hessian) {
        trWRWR += (WR * WR).trace();
        add_study(st, WRW * R * W, M2);
      }
    }
    Eigen::LLT<MatrixXd> llt(L);
    if (llt.info() != Eigen::Success) {
      if (ev_out) *ev_out = ev;
      return out;
    }
    ev.logdet_L = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
    VectorXd tg = llt.solve(bg);
    ev.theta = VectorXd::Zero(n_);
    for (int t = 0; t < n_; ++t) {
      int gi = g(t);
      if (gi >= 0) ev.theta(t) = tg(gi);
    }
    MatrixXd G;
    spd_inverse(llt, G);
    out.trGM = (G.array() * M.array()).sum();
    double rWRWr = 0.0, rWRWRWr = 0.0;
    VectorXd h = VectorXd::Zero(m);
    for (size_t s = 0; s < k; ++s) {
      const Study& st = net_.studies[s];
      const int q = static_cast<int>(st.d.size());
      if (q == 1) {
        const double r = st.d(0) - (ev.theta(st.arms[1]) - ev.theta(st.arms[0]));
        const double Wr = w1[s] * r;
        ev.Q += r * Wr;
        rWRWr += Wr * Wr;
        if (need_hessian) {
          const double WRWr = w1[s] * Wr;
          rWRWRWr += Wr * WRWr;
          add_two_arm_rhs(st, WRWr, h);
        }
        continue;
      }
      VectorXd r = residual(st, ev.theta);
      VectorXd Wr = Ws[s] * r;
      ev.Q += r.dot(Wr);
      VectorXd RWr = Wr;
      if (q > 1) {
        RWr = 0.5 * Wr;
        RWr.array() += 0.5 * Wr.sum();
      }
      rWRWr += Wr.dot(RWr);
      if (need_hessian) {
        VectorXd WRWr = Ws[s] * RWr;
        rWRWRWr += RWr.dot(WRWr);
        add_rhs(st, WRWr, h);
      }
    }
    ev.ok = true;
    out.loglik = reml ? loglik_reml(ev) : loglik_ml(ev);
    out.score = -0.5 * (out.trWR - rWRWr);
    if (reml) out.score += 0.5 * out.trGM;
    if (need_hessian) {
      double hGh = h.dot(G * h);
      out.hessian = -0.5 * (-trWRWR + 2.0 * rWRWRWr - 2.0 * hGh);
      if (reml) {
        // tr(G M G M) through the sparse M: G M costs nnz(M) (n - 1).
        std::vector<Eigen::Triplet<double>> trip;
        for (int j = 0; j < m; ++j)
          for (int i = 0; i < m; ++i)
            if (M(i, j) != 0.0) trip.emplace_back(i, j, M(i, j));
        Eigen::SparseMatrix<double> Ms(m, m);
        Ms.setFromTriplets(trip.begin(), trip.end());
        MatrixXd GM = G * Ms;
        double trGMGM = (GM.array() * GM.transpose().array()).sum();
        double trGM2 = (G.array() * M2.array()).sum();
        out.hessian += -0.5 * (-trGMGM + 2.0 * trGM2);
      }
    }
    out.ok = true;
    if (G_out) *G_out = std::move(G);
    if (ev_out) *ev_out = ev;
    return out;
  }

  double q_slope(double tau2) const {
    ScoreParts p = score_parts(tau2, nullptr, true);
    return p.trWR - p.trLM;
  }

 private:
  const Network& net_;
  int ref_;
  int n_;
  double logdet_XtX_ = 0.0;
};

}  // namespace fastnma

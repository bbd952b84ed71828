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

namespace fastnma {

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
    for (size_t s = 0; s < net_.studies.size(); ++s) {
      const Study& st = net_.studies[s];
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
      VectorXd r = residual(net_.studies[s], ev.theta);
      ev.Q += r.dot(Ws[s] * r);
    }
    if (llt_out) *llt_out = llt;
    ev.ok = true;
    return ev;
  }

  // Full n x n covariance of theta from a grounded factorisation.
  MatrixXd covariance(const Eigen::LLT<MatrixXd>& llt) const {
    MatrixXd Gg = llt.solve(MatrixXd::Identity(n_ - 1, n_ - 1));
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
      out.trLM = llt.solve(M).trace();
    }
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

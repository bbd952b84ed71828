// The contrast-based NMA model for a given heterogeneity variance tau^2: one
// generalised-least-squares model for the standard, component and regression
// fits.
//
// Per study s with basic contrasts d_s (arms j vs the base arm) the model is
//   d_s ~ N(X_s beta, S_s + tau^2 R_s),  R_s = (I + J) / 2,
// i.e. a common tau^2 with correlation 1/2 between the contrasts of one study
// (Rucker 2012; Rucker & Schwarzer 2014; the canonical contrast-based model
// that metafor::rma.mv(struct = "CS", rho = 0.5) fits). Only the design X_s
// differs between the fits:
//   TreatmentDesign  the standard NMA: beta the treatment effects, grounded
//                    at the reference; X_s is never formed, the normal
//                    equations L = sum_s X_s' W_s X_s (the Laplacian) are
//                    assembled edge by edge, and nothing of size (number of
//                    comparisons)^2 is formed;
//   MatrixDesign     any dense X_s per study: component NMA (X_s from the
//                    combination matrix) and network meta-regression
//                    (treatment-by-covariate interactions).
// GlsModel<Design> assembles the normal equations (assemble(), the one place
// where they are built), solves them with one Cholesky factorisation and
// gives the likelihood and its derivatives in tau^2, which the estimators of
// tau2.h use for every design.
#pragma once

#include "network.h"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Eigen/Sparse>

#include <limits>
#include <vector>

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


// The standard NMA: one effect per treatment, theta[ref] = 0. The basic
// contrast j of a study is theta(arms[j + 1]) - theta(arms[0]); the free
// coefficients are the treatments other than the reference, in order (g()).
class TreatmentDesign {
 public:
  // Two-arm studies are handled on scalars (the same arithmetic as the
  // general path on 1 x 1 matrices, without allocating them).
  static constexpr bool kScalarTwoArm = true;

  TreatmentDesign(const Network& net, int ref) : n_(net.n_treat), ref_(ref) {}

  int n() const { return n_; }
  int ref() const { return ref_; }
  int n_coef() const { return n_ - 1; }
  int g(int t) const { return t == ref_ ? -1 : (t < ref_ ? t : t - 1); }

  // Add C' A C for one study into the grounded matrix L.
  void add_study(size_t, const Study& st, const MatrixXd& A, MatrixXd& L) const {
    const int q = static_cast<int>(st.d.size());
    const int b = g(st.arms[0]);
    VectorXd rs = A.rowwise().sum();
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
        if (c >= 0) L(a, c) += A(j, l);
      }
    }
  }

  // Add C' v for one study into the grounded vector b.
  void add_rhs(size_t, const Study& st, const VectorXd& v, VectorXd& bg) const {
    const int q = static_cast<int>(st.d.size());
    const int b = g(st.arms[0]);
    if (b >= 0) bg(b) -= v.sum();
    for (int j = 0; j < q; ++j) {
      int a = g(st.arms[j + 1]);
      if (a >= 0) bg(a) += v(j);
    }
  }

  // add_study() and add_rhs() for a two-arm study with weight w.
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

  // The full theta (length n, zero at the reference) from the grounded
  // solution.
  VectorXd coefficients(const VectorXd& tg) const {
    VectorXd theta = VectorXd::Zero(n_);
    for (int t = 0; t < n_; ++t) {
      int k = g(t);
      if (k >= 0) theta(t) = tg(k);
    }
    return theta;
  }

  // Residuals of one study given the full theta.
  VectorXd residual(size_t, const Study& st, const VectorXd& theta) const {
    const int q = static_cast<int>(st.d.size());
    VectorXd r(q);
    for (int j = 0; j < q; ++j)
      r(j) = st.d(j) - (theta(st.arms[j + 1]) - theta(st.arms[0]));
    return r;
  }
  double residual_two_arm(const Study& st, const VectorXd& theta) const {
    return st.d(0) - (theta(st.arms[1]) - theta(st.arms[0]));
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
  MatrixXd covariance(const Eigen::LLT<MatrixXd>& llt) const {
    MatrixXd Gg;
    spd_inverse(llt, Gg);
    return expand(Gg);
  }

 private:
  int n_;
  int ref_;
};

// A dense design X_s (q_s x p) per study: component NMA (component.h) and
// network meta-regression (regression.h) build it; the coefficients are the
// p columns.
class MatrixDesign {
 public:
  static constexpr bool kScalarTwoArm = false;

  MatrixDesign(int p, std::vector<MatrixXd> X)
      : p_(p), X_(std::move(X)), nz_start_(X_.size() + 1, 0), few_(X_.size(), 1) {
    for (size_t s = 0; s < X_.size(); ++s) {
      const MatrixXd& Xs = X_[s];
      for (int c = 0; c < p_; ++c) {
        int in_col = 0;
        for (Eigen::Index j = 0; j < Xs.rows(); ++j)
          if (Xs(j, c) != 0.0) ++in_col;  // NaN counts as non-zero
        if (in_col > 0) nz_.push_back(c);
        if (in_col > 2) few_[s] = 0;
      }
      nz_start_[s + 1] = static_cast<int>(nz_.size());
    }
  }

  int n_coef() const { return p_; }
  const MatrixXd& X(size_t s) const { return X_[s]; }

  // L += X_s' A X_s. A study's rows touch few columns (the components of
  // its arms), so on designs of many columns only the block of its non-zero
  // columns is formed; each entry is summed in the order of Eigen's blocked
  // product of X_s' (A X_s) (over the contrasts, first to last), so the
  // result is that of the dense product, at a fraction of its cost. Small
  // designs (q + 2p below Eigen's threshold of 20 for a coefficient-based
  // product) keep the dense product.
  void add_study(size_t s, const Study&, const MatrixXd& A, MatrixXd& L) const {
    const MatrixXd& Xs = X_[s];
    const Eigen::Index q = Xs.rows();
    if (q + 2 * p_ < 20) {
      L.noalias() += Xs.transpose() * (A * Xs);
      return;
    }
    const int* nz = nz_.data() + nz_start_[s];
    const Eigen::Index k = nz_start_[s + 1] - nz_start_[s];
    if (q == 0 || k == 0) return;
    // T = A X_s on the non-zero columns (q x k, column-major), on the stack
    // when small
    double small[64];
    std::vector<double> large;
    double* T = small;
    if (q * k > 64) {
      large.resize(static_cast<size_t>(q * k));
      T = large.data();
    }
    for (Eigen::Index b = 0; b < k; ++b) {
      for (Eigen::Index j = 0; j < q; ++j) {
        double t = A(j, 0) * Xs(0, nz[b]);
        for (Eigen::Index l = 1; l < q; ++l) t += A(j, l) * Xs(l, nz[b]);
        T[b * q + j] = t;
      }
    }
    for (Eigen::Index b2 = 0; b2 < k; ++b2) {
      for (Eigen::Index b1 = 0; b1 < k; ++b1) {
        double acc = Xs(0, nz[b1]) * T[b2 * q];
        for (Eigen::Index j = 1; j < q; ++j) acc += Xs(j, nz[b1]) * T[b2 * q + j];
        L(nz[b1], nz[b2]) += acc;
      }
    }
  }
  // b += X_s' v and d_s - X_s beta on the non-zero columns, with the
  // numbers of Eigen's (3.3, SSE2) dense products. b += X_s' v adds to b(c)
  // the sum of X_s(j, c) v(j) over j, whose order does not matter where
  // every column has at most two non-zero entries (else the dense product).
  // d_s - X_s beta is assigned as d_s, to which the terms
  // t_c = X_s(j, c) (-beta(c)) are added: in the rows that the column-major
  // product takes in pairs (all but the last of an odd number) four columns
  // at a time, as ((t_c + t_c+1) + (t_c+2 + t_c+3)), and the columns after
  // the last whole group one by one; in the other rows one column after the
  // other. Zero terms change no sum, so only groups with a non-zero column
  // are visited.
  void add_rhs(size_t s, const Study&, const VectorXd& v, VectorXd& b) const {
    const MatrixXd& Xs = X_[s];
    if (!few_[s]) {
      b.noalias() += Xs.transpose() * v;
      return;
    }
    for (int i = nz_start_[s]; i < nz_start_[s + 1]; ++i) {
      const int c = nz_[i];
      double acc = 0.0;
      for (Eigen::Index j = 0; j < Xs.rows(); ++j)
        if (Xs(j, c) != 0.0) acc += Xs(j, c) * v(j);
      b(c) += acc;
    }
  }
  VectorXd coefficients(const VectorXd& beta) const { return beta; }
  VectorXd residual(size_t s, const Study& st, const VectorXd& beta) const {
    const MatrixXd& Xs = X_[s];
    const Eigen::Index q = Xs.rows();
    const int* nz = nz_.data() + nz_start_[s];
    const int n_nz = nz_start_[s + 1] - nz_start_[s];
    const Eigen::Index paired = q > 1 ? q - q % 2 : 0;
    const int grouped = p_ - p_ % 4;
    VectorXd r = st.d;
    auto term = [&](Eigen::Index j, int c) { return Xs(j, c) * -beta(c); };
    for (Eigen::Index j = 0; j < q; ++j) {
      int k = 0;
      if (j < paired) {
        while (k < n_nz && nz[k] < grouped) {
          const int c = nz[k] - nz[k] % 4;
          r(j) += (term(j, c) + term(j, c + 1)) + (term(j, c + 2) + term(j, c + 3));
          while (k < n_nz && nz[k] < c + 4) ++k;
        }
      }
      for (; k < n_nz; ++k)
        if (Xs(j, nz[k]) != 0.0) r(j) += term(j, nz[k]);
    }
    return r;
  }
  MatrixXd expand(const MatrixXd& G) const { return G; }
  MatrixXd covariance(const Eigen::LLT<MatrixXd>& llt) const {
    return llt.solve(MatrixXd::Identity(p_, p_));
  }

  // X'X of the stacked design.
  MatrixXd crossprod() const {
    MatrixXd XtX = MatrixXd::Zero(p_, p_);
    for (size_t s = 0; s < X_.size(); ++s) {
      const Eigen::Index q = X_[s].rows();
      add_study(s, Study(), MatrixXd::Identity(q, q), XtX);
    }
    return XtX;
  }

  // Columns that the data do not identify: those with a non-zero entry in
  // the null space of X'X (relative tolerance `tol` on eigenvalues).
  // A well-conditioned X'X has none, which a Cholesky factor shows without
  // the eigendecomposition: with B = (X'X)^{-1}, the smallest eigenvalue is
  // at least 1 / ||B||_1 and the largest at most ||X'X||_1, so when
  // 1 / ||B||_1 exceeds 10 tol ||X'X||_1 every eigenvalue is above the
  // threshold. Otherwise the eigenvectors decide.
  std::vector<int> unidentified(double tol = 1e-9) const {
    std::vector<int> out;
    if (p_ == 0) return out;
    const MatrixXd XtX = crossprod();
    Eigen::LLT<MatrixXd> llt(XtX);
    if (llt.info() == Eigen::Success) {
      const MatrixXd B = llt.solve(MatrixXd::Identity(p_, p_));
      const double norm_a = XtX.cwiseAbs().colwise().sum().maxCoeff();
      const double norm_b = B.cwiseAbs().colwise().sum().maxCoeff();
      if (std::isfinite(norm_b) && norm_b > 0 && 1.0 / norm_b > 10.0 * tol * norm_a)
        return out;
    }
    Eigen::SelfAdjointEigenSolver<MatrixXd> es(XtX);
    const VectorXd& ev = es.eigenvalues();
    double top = std::max(ev.maxCoeff(), 1e-300);
    std::vector<bool> bad(p_, false);
    for (int k = 0; k < p_; ++k) {
      if (ev(k) > tol * top) continue;
      for (int j = 0; j < p_; ++j)
        if (std::abs(es.eigenvectors()(j, k)) > 1e-8) bad[j] = true;
    }
    for (int j = 0; j < p_; ++j) if (bad[j]) out.push_back(j);
    return out;
  }

  // Rank of the stacked design with columns scaled to unit length (so that
  // the scale of a covariate does not matter).
  int rank() const {
    int rows = 0;
    for (const MatrixXd& Xs : X_) rows += static_cast<int>(Xs.rows());
    MatrixXd X(rows, p_);
    int row = 0;
    for (const MatrixXd& Xs : X_) {
      X.middleRows(row, Xs.rows()) = Xs;
      row += static_cast<int>(Xs.rows());
    }
    for (int c = 0; c < p_; ++c) {
      double nrm = X.col(c).norm();
      if (nrm > 0) X.col(c) /= nrm;
    }
    Eigen::ColPivHouseholderQR<MatrixXd> qr(X);
    qr.setThreshold(1e-10);
    return static_cast<int>(qr.rank());
  }

 private:
  int p_;
  std::vector<MatrixXd> X_;
  // the non-zero columns of X_s: nz_[nz_start_[s]] to nz_[nz_start_[s + 1] - 1]
  std::vector<int> nz_, nz_start_;
  std::vector<char> few_;  // every column of X_s: at most 2 non-zeros
};

template <class Design>
class GlsModel {
 public:
  // `with_logdet_XtX = false` skips log|X'X|, which only the restricted
  // likelihood reads, for a model that is evaluated at a given tau^2 and
  // whose likelihood is never asked for (it is then NaN): the standard
  // model of component_fit_cpp(), the fit that node-splitting splits.
  GlsModel(const Network& net, Design design, bool with_logdet_XtX = true)
      : net_(net), design_(std::move(design)) {
    if (!with_logdet_XtX) {
      logdet_XtX_ = std::numeric_limits<double>::quiet_NaN();
      return;
    }
    // log|X'X| of the design with unit weights (metafor's REML likelihood
    // carries it; for the standard model it does not depend on the choice
    // of reference).
    const int m = design_.n_coef();
    MatrixXd L0 = MatrixXd::Zero(m, m);
    for (size_t s = 0; s < net_.studies.size(); ++s) {
      const Study& st = net_.studies[s];
      const int q = static_cast<int>(st.d.size());
      MatrixXd I = MatrixXd::Identity(q, q);
      design_.add_study(s, st, I, L0);
    }
    Eigen::LLT<MatrixXd> llt(L0);
    if (llt.info() == Eigen::Success)
      logdet_XtX_ = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  }

  int n_coef() const { return design_.n_coef(); }
  const Network& network() const { return net_; }
  const Design& design() const { return design_; }
  double logdet_XtX() const { return logdet_XtX_; }

  // Fit at tau2. If `llt_out` is given, the factorisation is kept there.
  Evaluation evaluate(double tau2, Eigen::LLT<MatrixXd>* llt_out = nullptr) const {
    Assembly a;
    assemble(tau2, false, false, a);
    Evaluation ev;
    ev.tau2 = tau2;
    Eigen::LLT<MatrixXd> llt;
    if (!solve(a, ev, llt)) return ev;
    for (size_t s = 0; s < net_.studies.size(); ++s) {
      const Study& st = net_.studies[s];
      if (two_arm(st)) {
        const double r = residual_two_arm(st, ev.theta);
        ev.Q += r * (a.w1[s] * r);
        continue;
      }
      VectorXd r = design_.residual(s, st, ev.theta);
      ev.Q += r.dot(a.Ws[s] * r);
    }
    if (llt_out) *llt_out = llt;
    ev.ok = true;
    return ev;
  }

  // Covariance of the coefficients from a factorisation (for the standard
  // model the full n x n matrix, zero at the reference).
  MatrixXd covariance(const Eigen::LLT<MatrixXd>& llt) const {
    return design_.covariance(llt);
  }
  // The same from the inverse of the normal equations.
  MatrixXd expand(const MatrixXd& G) const { return design_.expand(G); }

  // Maximum and restricted log-likelihood at an evaluation.
  double loglik_ml(const Evaluation& ev) const {
    return -0.5 * (net_.n_obs * std::log(2.0 * M_PI) + ev.logdet_V + ev.Q);
  }
  double loglik_reml(const Evaluation& ev) const {
    return -0.5 * ((net_.n_obs - n_coef()) * std::log(2.0 * M_PI) +
                   ev.logdet_V + ev.logdet_L - logdet_XtX_ + ev.Q);
  }

  // The (restricted) log-likelihood with its first and second derivatives
  // in tau^2, from one factorisation and one inverse G of the normal
  // equations L. With V_s = S_s + tau^2 R_s, W_s = V_s^{-1}, M = X'WRWX,
  // M2 = X'WRWRWX, h = X'WRW r (r the GLS residuals):
  //   ML score   -1/2 [tr(WR) - r'WRWr]
  //   ML hessian -1/2 [-tr(WRWR) + 2 r'WRWRWr - 2 h'G h]
  //   REML adds  +1/2 tr(GM) to the score and
  //              -1/2 [-tr(GMGM) + 2 tr(G M2)] to the hessian
  // (d L / d tau^2 = -M, d beta / d tau^2 = -G h, Q' = -r'WRWr).
  // trWR - trGM is the expected-Q slope, the denominator of the generalised
  // DerSimonian-Laird estimator (Jackson, White & Riley 2012).
  // `G_out`, if given, receives G; `ev_out` the evaluation; `llt_out` the
  // factorisation of L.
  struct Derivs {
    double loglik = 0.0, score = 0.0, hessian = 0.0;
    double trWR = 0.0, trGM = 0.0;  // pieces of the DL denominator
    bool ok = false;
  };
  Derivs derivs(double tau2, bool reml, bool need_hessian, MatrixXd* G_out,
                Evaluation* ev_out, Eigen::LLT<MatrixXd>* llt_out = nullptr) const {
    Derivs out;
    Assembly a;
    assemble(tau2, true, need_hessian, a);
    out.trWR = a.trWR;
    Evaluation ev;
    ev.tau2 = tau2;
    Eigen::LLT<MatrixXd> llt;
    if (!solve(a, ev, llt)) {
      if (ev_out) *ev_out = ev;
      return out;
    }
    const int m = n_coef();
    const size_t k = net_.studies.size();
    MatrixXd G;
    spd_inverse(llt, G);
    out.trGM = (G.array() * a.M.array()).sum();
    double rWRWr = 0.0, rWRWRWr = 0.0;
    VectorXd h = VectorXd::Zero(m);
    for (size_t s = 0; s < k; ++s) {
      const Study& st = net_.studies[s];
      const int q = static_cast<int>(st.d.size());
      if (two_arm(st)) {
        const double r = residual_two_arm(st, ev.theta);
        const double Wr = a.w1[s] * r;
        ev.Q += r * Wr;
        rWRWr += Wr * Wr;
        if (need_hessian) {
          const double WRWr = a.w1[s] * Wr;
          rWRWRWr += Wr * WRWr;
          add_two_arm_rhs(st, WRWr, h);
        }
        continue;
      }
      VectorXd r = design_.residual(s, st, ev.theta);
      VectorXd Wr = a.Ws[s] * r;
      ev.Q += r.dot(Wr);
      VectorXd RWr = Wr;
      if (q > 1) {
        RWr = 0.5 * Wr;
        RWr.array() += 0.5 * Wr.sum();
      }
      rWRWr += Wr.dot(RWr);
      if (need_hessian) {
        VectorXd WRWr = a.Ws[s] * RWr;
        rWRWRWr += RWr.dot(WRWr);
        design_.add_rhs(s, st, WRWr, h);
      }
    }
    ev.ok = true;
    out.loglik = reml ? loglik_reml(ev) : loglik_ml(ev);
    out.score = -0.5 * (out.trWR - rWRWr);
    if (reml) out.score += 0.5 * out.trGM;
    if (need_hessian) {
      double hGh = h.dot(G * h);
      out.hessian = -0.5 * (-a.trWRWR + 2.0 * rWRWRWr - 2.0 * hGh);
      if (reml) {
        // tr(G M G M) through the sparse M: G M costs nnz(M) (n - 1).
        std::vector<Eigen::Triplet<double>> trip;
        for (int j = 0; j < m; ++j)
          for (int i = 0; i < m; ++i)
            if (a.M(i, j) != 0.0) trip.emplace_back(i, j, a.M(i, j));
        Eigen::SparseMatrix<double> Ms(m, m);
        Ms.setFromTriplets(trip.begin(), trip.end());
        MatrixXd GM = G * Ms;
        double trGMGM = (GM.array() * GM.transpose().array()).sum();
        double trGM2 = (G.array() * a.M2.array()).sum();
        out.hessian += -0.5 * (-trGMGM + 2.0 * trGM2);
      }
    }
    out.ok = true;
    if (G_out) *G_out = std::move(G);
    if (ev_out) *ev_out = ev;
    if (llt_out) *llt_out = std::move(llt);
    return out;
  }

  // The expected-Q slope tr(W R) - tr(L^-1 X'W R W X) at tau2.
  double q_slope(double tau2) const {
    Derivs d = derivs(tau2, false, false, nullptr, nullptr);
    return d.trWR - d.trGM;
  }

 private:
  // The normal equations at one tau^2 (L = X'WX, b = X'W d), with what the
  // likelihood derivatives need (M = X'WRWX, M2 = X'WRWRWX and traces) when
  // asked: the one place where they are assembled.
  struct Assembly {
    MatrixXd L, M, M2;
    VectorXd b;
    std::vector<MatrixXd> Ws;   // weights of the studies on the general path
    std::vector<double> w1;     // weights of the two-arm studies on scalars
    double logdet_V = 0.0, trWR = 0.0, trWRWR = 0.0;
  };

  bool two_arm(const Study& st) const {
    if constexpr (Design::kScalarTwoArm) return st.d.size() == 1;
    return false;
  }
  double residual_two_arm(const Study& st, const VectorXd& theta) const {
    if constexpr (Design::kScalarTwoArm) return design_.residual_two_arm(st, theta);
    return 0.0;
  }
  void add_two_arm(const Study& st, double w, MatrixXd& L) const {
    if constexpr (Design::kScalarTwoArm) design_.add_two_arm(st, w, L);
  }
  void add_two_arm_rhs(const Study& st, double v, VectorXd& b) const {
    if constexpr (Design::kScalarTwoArm) design_.add_two_arm_rhs(st, v, b);
  }

  void assemble(double tau2, bool with_M, bool with_M2, Assembly& a) const {
    const int m = n_coef();
    const size_t k = net_.studies.size();
    a.L = MatrixXd::Zero(m, m);
    a.b = VectorXd::Zero(m);
    if (with_M) a.M = MatrixXd::Zero(m, m);
    if (with_M2) a.M2 = MatrixXd::Zero(m, m);
    a.Ws.resize(k);
    a.w1.assign(k, 0.0);
    double ld;
    for (size_t s = 0; s < k; ++s) {
      const Study& st = net_.studies[s];
      const int q = static_cast<int>(st.d.size());
      if (two_arm(st)) {
        // R = 1: the products below on 1 x 1 matrices
        const double v = st.S(0, 0) + tau2;
        const double w = 1.0 / v;
        a.logdet_V += std::log(v);
        add_two_arm(st, w, a.L);
        add_two_arm_rhs(st, w * st.d(0), a.b);
        if (with_M) {
          const double wr = w * 1.0;
          a.trWR += wr;
          const double wrw = wr * w;
          add_two_arm(st, wrw, a.M);
          if (with_M2) {
            a.trWRWR += wr * wr;
            add_two_arm(st, (wrw * 1.0) * w, a.M2);
          }
        }
        a.w1[s] = w;
        continue;
      }
      study_weight(st, tau2, a.Ws[s], ld);
      const MatrixXd& W = a.Ws[s];
      a.logdet_V += ld;
      design_.add_study(s, st, W, a.L);
      design_.add_rhs(s, st, W * st.d, a.b);
      if (with_M) {
        MatrixXd R = MatrixXd::Constant(q, q, 0.5);
        R.diagonal().array() = 1.0;
        MatrixXd WR = W * R;
        a.trWR += WR.trace();
        MatrixXd WRW = WR * W;
        design_.add_study(s, st, WRW, a.M);
        if (with_M2) {
          a.trWRWR += (WR * WR).trace();
          design_.add_study(s, st, WRW * R * W, a.M2);
        }
      }
    }
  }

  // Factorise L and solve for the coefficients; false if L is singular.
  bool solve(const Assembly& a, Evaluation& ev, Eigen::LLT<MatrixXd>& llt) const {
    ev.logdet_V = a.logdet_V;
    llt.compute(a.L);
    if (llt.info() != Eigen::Success) return false;
    ev.logdet_L = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
    ev.theta = design_.coefficients(llt.solve(a.b));
    return true;
  }

  const Network& net_;
  Design design_;
  double logdet_XtX_ = 0.0;
};

// The standard NMA model, grounded at the reference treatment `ref`.
class Model : public GlsModel<TreatmentDesign> {
 public:
  Model(const Network& net, int ref, bool with_logdet_XtX = true)
      : GlsModel(net, TreatmentDesign(net, ref), with_logdet_XtX) {}
  int n() const { return design().n(); }
  int ref() const { return design().ref(); }
  int g(int t) const { return design().g(t); }
  VectorXd residual(const Study& st, const VectorXd& theta) const {
    return design().residual(0, st, theta);
  }
};

// A model with a dense design per study (component NMA, meta-regression).
using DesignModel = GlsModel<MatrixDesign>;

}  // namespace fastnma

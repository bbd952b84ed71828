// Network meta-regression on a study-level covariate.
//
// The contrast-based model of model.h with treatment-by-covariate
// interactions relative to the reference treatment (Cooper et al. 2009;
// Dias et al. 2013, NICE DSU TSD 3). For study s with covariate x_s and
// basic contrasts d_s (arm a_j vs the base arm a_0)
//   d_sj ~ (theta_{a_j} - theta_{a_0}) + x_s (beta_{a_j} - beta_{a_0}),
// theta_ref = beta_ref = 0, with the within-study covariance S_s and the
// heterogeneity tau^2 (I + J) / 2 of the standard model. "common": one slope
// b shared by every non-reference treatment (beta_t = b); "independent": a
// slope beta_t per non-reference treatment.
//
// The coefficient vector is (theta_t for t != ref, in treatment order; then
// the slope(s), in the same order). The design of each study is a small
// dense q_s x p matrix; the normal equations X'WX (p x p, p <= 2(n - 1)) are
// accumulated study by study and solved with one Cholesky factorisation per
// tau^2. The class offers the interface of Model that the tau^2 estimators
// of tau2.h use (evaluate, score_parts, q_slope, loglik_ml, loglik_reml,
// n_coef, network), so REML, ML, DL and PM come from the one implementation.
#pragma once

#include "model.h"

#include <Eigen/QR>

namespace fastnma {

class RegressionModel {
 public:
  // `x`: covariate per study (index of net.studies), already centred.
  RegressionModel(const Network& net, int ref, const std::vector<double>& x,
                  bool common)
      : net_(net), ref_(ref), common_(common) {
    n_ = net.n_treat;
    p_ = (n_ - 1) + (common ? 1 : n_ - 1);
    X_.resize(net.studies.size());
    for (size_t s = 0; s < net.studies.size(); ++s) {
      const Study& st = net.studies[s];
      const int q = static_cast<int>(st.d.size());
      MatrixXd Xs = MatrixXd::Zero(q, p_);
      const int b = g(st.arms[0]);
      for (int j = 0; j < q; ++j) {
        const int a = g(st.arms[j + 1]);
        if (a >= 0) Xs(j, a) += 1.0;
        if (b >= 0) Xs(j, b) -= 1.0;
        if (common) {
          Xs(j, n_ - 1) = x[s] * ((a >= 0 ? 1.0 : 0.0) - (b >= 0 ? 1.0 : 0.0));
        } else {
          if (a >= 0) Xs(j, n_ - 1 + a) += x[s];
          if (b >= 0) Xs(j, n_ - 1 + b) -= x[s];
        }
      }
      X_[s] = Xs;
    }
    // log|X'X| with unit weights (the constant of metafor's REML likelihood).
    MatrixXd XtX = MatrixXd::Zero(p_, p_);
    for (const MatrixXd& Xs : X_) XtX.noalias() += Xs.transpose() * Xs;
    Eigen::LLT<MatrixXd> llt(XtX);
    logdet_XtX_ = llt.info() == Eigen::Success
                      ? 2.0 * llt.matrixLLT().diagonal().array().log().sum()
                      : 0.0;
    rank_ = design_rank();
  }

  int n() const { return n_; }
  int n_coef() const { return p_; }
  int rank() const { return rank_; }
  bool estimable() const { return rank_ == p_; }
  int ref() const { return ref_; }
  const Network& network() const { return net_; }
  int g(int t) const { return t == ref_ ? -1 : (t < ref_ ? t : t - 1); }

  // Fit at tau2; `theta` of the result holds the p coefficients.
  Evaluation evaluate(double tau2, Eigen::LLT<MatrixXd>* llt_out = nullptr) const {
    Evaluation ev;
    ev.tau2 = tau2;
    MatrixXd L = MatrixXd::Zero(p_, p_);
    VectorXd bg = VectorXd::Zero(p_);
    std::vector<MatrixXd> Ws(net_.studies.size());
    MatrixXd W;
    double ld;
    for (size_t s = 0; s < net_.studies.size(); ++s) {
      const Study& st = net_.studies[s];
      study_weight(st, tau2, W, ld);
      ev.logdet_V += ld;
      MatrixXd WX = W * X_[s];
      L.noalias() += X_[s].transpose() * WX;
      bg.noalias() += WX.transpose() * st.d;
      Ws[s] = W;
    }
    Eigen::LLT<MatrixXd> llt(L);
    if (llt.info() != Eigen::Success) return ev;
    ev.logdet_L = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
    ev.theta = llt.solve(bg);
    for (size_t s = 0; s < net_.studies.size(); ++s) {
      VectorXd r = residual(s, ev.theta);
      ev.Q += r.dot(Ws[s] * r);
    }
    if (llt_out) *llt_out = llt;
    ev.ok = true;
    return ev;
  }

  VectorXd residual(size_t s, const VectorXd& beta) const {
    return net_.studies[s].d - X_[s] * beta;
  }

  MatrixXd covariance(const Eigen::LLT<MatrixXd>& llt) const {
    return llt.solve(MatrixXd::Identity(p_, p_));
  }

  double loglik_ml(const Evaluation& ev) const {
    return -0.5 * (net_.n_obs * std::log(2.0 * M_PI) + ev.logdet_V + ev.Q);
  }
  double loglik_reml(const Evaluation& ev) const {
    return -0.5 * ((net_.n_obs - p_) * std::log(2.0 * M_PI) + ev.logdet_V +
                   ev.logdet_L - logdet_XtX_ + ev.Q);
  }

  // As Model::score_parts: tr(W R), tr((X'WX)^-1 X'W R W X), r'W R W r.
  Model::ScoreParts score_parts(double tau2, const VectorXd* beta,
                                bool need_trLM) const {
    Model::ScoreParts out;
    MatrixXd L = MatrixXd::Zero(p_, p_);
    MatrixXd M = MatrixXd::Zero(p_, p_);
    MatrixXd W;
    double ld;
    for (size_t s = 0; s < net_.studies.size(); ++s) {
      const Study& st = net_.studies[s];
      const int q = static_cast<int>(st.d.size());
      study_weight(st, tau2, W, ld);
      MatrixXd R = MatrixXd::Constant(q, q, 0.5);
      R.diagonal().array() = 1.0;
      out.trWR += (W * R).trace();
      if (beta) {
        VectorXd Wr = W * residual(s, *beta);
        out.rWRWr += Wr.dot(R * Wr);
      }
      if (need_trLM) {
        MatrixXd WX = W * X_[s];
        L.noalias() += X_[s].transpose() * WX;
        M.noalias() += WX.transpose() * R * WX;
      }
    }
    if (need_trLM) {
      Eigen::LLT<MatrixXd> llt(L);
      out.trLM = llt.solve(M).trace();
    }
    return out;
  }

  double q_slope(double tau2) const {
    Model::ScoreParts p = score_parts(tau2, nullptr, true);
    return p.trWR - p.trLM;
  }

 private:
  // Rank of the stacked design with columns scaled to unit length (so that
  // the scale of the covariate does not matter).
  int design_rank() const {
    MatrixXd X(net_.n_obs, p_);
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

  const Network& net_;
  int ref_;
  bool common_;
  int n_ = 0;
  int p_ = 0;
  int rank_ = 0;
  std::vector<MatrixXd> X_;
  double logdet_XtX_ = 0.0;
};

}  // namespace fastnma

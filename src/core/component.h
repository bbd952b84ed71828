// Component network meta-analysis: the additive model and models with
// interaction terms (Rucker, Petropoulou & Schwarzer 2020).
//
// Each treatment is a combination of components, coded by a combination
// matrix A (treatments x model columns: one column per active component, plus
// one column per interaction term, the product of the columns it joins). The
// effect of treatment t relative to "nothing" is A_t beta, so the basic
// contrasts of a study with arms a_0 < ... < a_{p-1} are
//   d_s ~ N(X_s beta, S_s + tau^2 R_s),  X_s row j = A_{a_j} - A_{a_0},
// the model of nma() (src/core/model.h) with the treatment design replaced by
// X_s. Weights, the reduced-weights covariance of multi-arm studies and the
// network are those of the standard model (network.h, model.h), so the
// standard NMA is the special case A = treatment indicators. The network need
// not be connected: the model is identifiable when X'X is (the networks of
// Rucker et al. that discomb() handles).
#pragma once

#include "tau2.h"

#include <vector>

namespace fastnma {

struct ComponentEvaluation {
  double tau2 = 0.0;
  VectorXd beta;
  MatrixXd cov;           // covariance of beta
  double Q = 0.0;         // sum_s r_s' W_s r_s
  double logdet_V = 0.0;
  double logdet_L = 0.0;  // log|X'WX|
  bool ok = false;
};

class ComponentModel {
 public:
  // `A` has one row per treatment of `net`.
  ComponentModel(const Network& net, const MatrixXd& A) : net_(net), p_(A.cols()) {
    X_.reserve(net.studies.size());
    for (const Study& st : net.studies) {
      const int q = static_cast<int>(st.d.size());
      MatrixXd Xs(q, p_);
      for (int j = 0; j < q; ++j) Xs.row(j) = A.row(st.arms[j + 1]) - A.row(st.arms[0]);
      X_.push_back(Xs);
    }
    MatrixXd XtX = MatrixXd::Zero(p_, p_);
    for (const MatrixXd& Xs : X_) XtX.noalias() += Xs.transpose() * Xs;
    XtX_ = XtX;
    Eigen::LLT<MatrixXd> llt(XtX);
    if (llt.info() == Eigen::Success)
      logdet_XtX_ = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  }

  int p() const { return p_; }
  const Network& network() const { return net_; }

  // Model columns that the data do not identify: those with a non-zero
  // entry in the null space of X'X (relative tolerance `tol` on eigenvalues).
  std::vector<int> unidentified(double tol = 1e-9) const {
    std::vector<int> out;
    if (p_ == 0) return out;
    Eigen::SelfAdjointEigenSolver<MatrixXd> es(XtX_);
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

  ComponentEvaluation evaluate(double tau2, bool need_cov = true) const {
    ComponentEvaluation ev;
    ev.tau2 = tau2;
    MatrixXd L = MatrixXd::Zero(p_, p_);
    VectorXd b = VectorXd::Zero(p_);
    std::vector<MatrixXd> Ws(net_.studies.size());
    double ld;
    for (size_t s = 0; s < net_.studies.size(); ++s) {
      const Study& st = net_.studies[s];
      study_weight(st, tau2, Ws[s], ld);
      ev.logdet_V += ld;
      MatrixXd WX = Ws[s] * X_[s];
      L.noalias() += X_[s].transpose() * WX;
      b.noalias() += WX.transpose() * st.d;
    }
    Eigen::LLT<MatrixXd> llt(L);
    if (llt.info() != Eigen::Success) return ev;
    ev.logdet_L = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
    ev.beta = llt.solve(b);
    if (need_cov) ev.cov = llt.solve(MatrixXd::Identity(p_, p_));
    for (size_t s = 0; s < net_.studies.size(); ++s) {
      VectorXd r = net_.studies[s].d - X_[s] * ev.beta;
      ev.Q += r.dot(Ws[s] * r);
    }
    ev.ok = ev.beta.allFinite() && std::isfinite(ev.Q);
    return ev;
  }

  double loglik_ml(const ComponentEvaluation& ev) const {
    return -0.5 * (net_.n_obs * std::log(2.0 * M_PI) + ev.logdet_V + ev.Q);
  }
  double loglik_reml(const ComponentEvaluation& ev) const {
    return -0.5 * ((net_.n_obs - p_) * std::log(2.0 * M_PI) + ev.logdet_V +
                   ev.logdet_L - logdet_XtX_ + ev.Q);
  }

  // tr(W R), tr(L^-1 X'W R W X) and r'W R W r at tau2 (residuals at beta).
  Model::ScoreParts score_parts(double tau2, const VectorXd* beta) const {
    Model::ScoreParts out;
    MatrixXd L = MatrixXd::Zero(p_, p_), M = MatrixXd::Zero(p_, p_);
    MatrixXd W;
    double ld;
    for (size_t s = 0; s < net_.studies.size(); ++s) {
      const Study& st = net_.studies[s];
      const int q = static_cast<int>(st.d.size());
      study_weight(st, tau2, W, ld);
      MatrixXd R = MatrixXd::Constant(q, q, 0.5);
      R.diagonal().array() = 1.0;
      out.trWR += (W * R).trace();
      MatrixXd WX = W * X_[s];
      L.noalias() += X_[s].transpose() * WX;
      M.noalias() += WX.transpose() * R * WX;
      if (beta) {
        VectorXd Wr = W * (st.d - X_[s] * (*beta));
        out.rWRWr += Wr.dot(R * Wr);
      }
    }
    Eigen::LLT<MatrixXd> llt(L);
    out.trLM = llt.solve(M).trace();
    return out;
  }

 private:
  const Network& net_;
  int p_;
  std::vector<MatrixXd> X_;
  MatrixXd XtX_;
  double logdet_XtX_ = 0.0;
};

// tau^2 of a component model. "DL": the method of moments from the model's
// own Q, (Q - df) / (tr(WR) - tr(L^-1 X'WRWX)) at tau^2 = 0, truncated at 0
// (the estimator netcomb() reports, from the additive model's Q). "REML",
// "ML": maximisers of the (restricted) likelihood, located on a grid and
// refined as the root of the score with Brent's method.
inline Tau2Estimate component_tau2(const ComponentModel& cm, const std::string& method,
                                   double Q0, int df, double tol) {
  Tau2Estimate out;
  if (df <= 0) {
    out.identifiable = false;
    out.boundary = true;
    return out;
  }
  if (method == "DL") {
    if (Q0 <= df) {
      out.boundary = true;
      return out;
    }
    Model::ScoreParts sp = cm.score_parts(0.0, nullptr);
    out.tau2 = (Q0 - df) / (sp.trWR - sp.trLM);
    if (!(out.tau2 > 0)) {
      out.tau2 = 0.0;
      out.boundary = true;
    }
    return out;
  }
  const bool reml = method == "REML";
  auto loglik = [&](double t) {
    ComponentEvaluation ev = cm.evaluate(t, false);
    if (!ev.ok) return -std::numeric_limits<double>::infinity();
    return reml ? cm.loglik_reml(ev) : cm.loglik_ml(ev);
  };
  auto score = [&](double t) {
    ComponentEvaluation ev = cm.evaluate(t, false);
    Model::ScoreParts sp = cm.score_parts(t, &ev.beta);
    double tr = reml ? sp.trWR - sp.trLM : sp.trWR;
    return sp.rWRWr - tr;
  };
  // Grid: 0 and a geometric sequence around the typical within-study variance.
  double base = median_within_variance(cm.network());
  std::vector<double> grid{0.0};
  for (int k = -40; k <= 24; ++k) grid.push_back(base * std::pow(10.0, k / 8.0));
  int best = 0;
  double best_ll = loglik(0.0);
  for (size_t i = 1; i < grid.size(); ++i) {
    double ll = loglik(grid[i]);
    if (ll > best_ll) { best_ll = ll; best = static_cast<int>(i); }
  }
  if (best == 0) {
    if (score(0.0) <= 0) {
      out.boundary = true;
      return out;
    }
  }
  if (best == static_cast<int>(grid.size()) - 1) {
    out.converged = false;
    out.tau2 = grid.back();
    return out;
  }
  double lo = grid[best > 0 ? best - 1 : 0], hi = grid[best + 1];
  double flo = score(lo), fhi = score(hi);
  if (flo <= 0) {
    // The likelihood falls from lo: optimum at the boundary or at lo.
    if (lo == 0.0) { out.boundary = true; return out; }
    out.tau2 = lo;
    return out;
  }
  if (fhi >= 0) {
    out.tau2 = hi;
    out.converged = false;
    return out;
  }
  out.tau2 = brent_root(score, lo, hi, flo, fhi, tol * std::max(1e-12, hi), 500,
                        out.iterations);
  return out;
}

}  // namespace fastnma

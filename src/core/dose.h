// Dose-response network meta-analysis (Mawdsley et al. 2016; in its
// frequentist, contrast-based form, Petropoulou et al. 2025) on the one GLS
// model of model.h.
//
// Every arm is a node: an agent at a dose. The effect of node t relative to
// the reference agent is A_t beta, where row A_t holds the dose
// transformation of the node's agent in that agent's columns (zero for the
// reference agent and for dose zero). The basic contrasts of a study then
// have design rows A_{a_j} - A_{a_0}: the design of the component model
// (component_design() of component.h) with the node matrix A, fitted by
// fit_gls() of fit.h, so the tau^2 estimators are those of tau2.h.
//
// Dose designs are often rank-deficient (an agent given at one dose under a
// two-parameter function, an Emax parameter held fixed, a split model on a
// disconnected network). The estimate is then the minimum-norm solution
// beta = (X'WX)^+ X'Wy, with the pseudo-inverse dropping eigenvalues below
// sqrt(eps) times the largest, as MASS::ginv() does. It is fitted as a full-
// rank GLS in the coordinates gamma of the directions the pseudo-inverse
// keeps: with U the kept eigenvectors (eigenvalues Lambda) of
// D^-1 X'WX D^-1 and T = D^-1 U, (X'WX)^+ in that metric is
// T (T'X'WXT)^{-1} T' and beta = T gamma. D scales the columns to a unit
// diagonal (the default: transformations of very different magnitudes, the
// square of doses in the hundreds next to doses in micrograms, are all
// resolved) or is the identity (netdose 0.7-5's unscaled pseudo-inverse).
// The directions are those of the common-effect weights (tau^2 = 0); only
// how an unidentified coefficient is split between aliased columns depends
// on that choice, never a fitted value.
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include "component.h"
#include "fit.h"

namespace fastnma {

// X'WX of the design with node matrix A at tau2.
inline MatrixXd dose_normal_matrix(const Network& net, const MatrixDesign& design,
                                   double tau2) {
  MatrixXd L = MatrixXd::Zero(design.n_coef(), design.n_coef());
  MatrixXd W;
  double ld;
  for (size_t s = 0; s < net.studies.size(); ++s) {
    study_weight(net.studies[s], tau2, W, ld);
    design.add_study(s, net.studies[s], W, L);
  }
  return L;
}

// The directions that the pseudo-inverse of L keeps (see above): T = D^-1 U,
// p x r, r the number of kept eigenvalues.
inline MatrixXd pinv_directions(const MatrixXd& L, bool equilibrate) {
  const Eigen::Index p = L.rows();
  VectorXd di = VectorXd::Ones(p);
  if (equilibrate) {
    for (Eigen::Index j = 0; j < p; ++j) {
      const double d = std::sqrt(L(j, j));
      if (d > 0) di(j) = 1.0 / d;
    }
  }
  if (p == 0) return MatrixXd(0, 0);
  MatrixXd Ls = di.asDiagonal() * L * di.asDiagonal();
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(Ls);
  const VectorXd& ev = es.eigenvalues();
  const double top = ev.cwiseAbs().maxCoeff();
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon()) * top;
  std::vector<Eigen::Index> keep;
  for (Eigen::Index k = 0; k < p; ++k)
    if (top > 0 && std::abs(ev(k)) > tol) keep.push_back(k);
  MatrixXd T(p, static_cast<Eigen::Index>(keep.size()));
  for (size_t c = 0; c < keep.size(); ++c)
    T.col(static_cast<Eigen::Index>(c)) = di.asDiagonal() * es.eigenvectors().col(keep[c]);
  return T;
}

// Rank of the stacked design (column-pivoted QR with Eigen's default
// threshold): the degrees of freedom of Q are n_obs minus this rank.
inline int dose_design_rank(const Network& net, const MatrixDesign& design) {
  if (design.n_coef() == 0) return 0;
  int rows = 0;
  for (size_t s = 0; s < net.studies.size(); ++s) rows += static_cast<int>(design.X(s).rows());
  MatrixXd X(rows, design.n_coef());
  int row = 0;
  for (size_t s = 0; s < net.studies.size(); ++s) {
    X.middleRows(row, design.X(s).rows()) = design.X(s);
    row += static_cast<int>(design.X(s).rows());
  }
  Eigen::ColPivHouseholderQR<MatrixXd> qr(X);
  return static_cast<int>(qr.rank());
}

// A dose model: the GLS model of the design A T (full column rank) and the
// map T back to the coefficients of A.
struct DoseModel {
  MatrixXd T;
  DesignModel model;
  DoseModel(const Network& net, const MatrixXd& A, const MatrixXd& T_)
      : T(T_), model(net, component_design(net, A * T_)) {}
  VectorXd beta(const VectorXd& gamma) const { return T * gamma; }
  MatrixXd cov(const MatrixXd& G) const { return T * G * T.transpose(); }
};

// The directions of the pseudo-inverse of a dose design at tau2 (see above).
inline MatrixXd dose_directions(const Network& net, const MatrixDesign& design, double tau2,
                                bool equilibrate) {
  return pinv_directions(dose_normal_matrix(net, design, tau2), equilibrate);
}

// netdose 0.7-5's moment estimator of tau^2: (Q - df) / den with
//   den = sum_s tr(K_s) / 2 - tr((X'WX)^+ sum_s K_s K_s) / 2,
//   K_s = X_s' W_s X_s at tau^2 = 0,
// the generalised moment estimator of tau2.h with the dose design's
// X_s X_s' / 2 in place of the random effects' structure R_s = (I + J) / 2
// (in netdose's pairwise form, M_s = X_s X_s' / 2 over the contrasts with
// reduced weights; the same number for the basic contrasts). It changes with
// the unit of the dose; the default estimators do not.
inline double netdose_tau2(const Network& net, const MatrixDesign& design,
                           const MatrixXd& pinv0, double Q0, int df) {
  if (df <= 0 || !(Q0 > df)) return 0.0;
  const int p = design.n_coef();
  double tr = 0.0;
  MatrixXd S = MatrixXd::Zero(p, p), W, K;
  double ld;
  for (size_t s = 0; s < net.studies.size(); ++s) {
    study_weight(net.studies[s], 0.0, W, ld);
    const MatrixXd& Xs = design.X(s);
    K.noalias() = Xs.transpose() * (W * Xs);
    tr += K.trace();
    S.noalias() += K * K;
  }
  const double den = 0.5 * tr - 0.5 * (pinv0.array() * S.array()).sum();
  const double t = (Q0 - df) / den;
  return (t > 0 && std::isfinite(t)) ? t : 0.0;
}

// The reduced weight of every pairwise contrast (row i: study[i], nodes
// t1[i] and t2[i], 0-based) at tau2: minus the off-diagonal entry of the
// study's arm Laplacian C' W C (C the basic-contrast matrix), which for a
// multi-arm study is the weight netmeta gives the pair (Rucker & Schwarzer
// 2014).
inline VectorXd pair_weights(const Network& net, double tau2, const std::vector<int>& study,
                             const std::vector<int>& t1, const std::vector<int>& t2) {
  std::vector<MatrixXd> Lap(net.studies.size());
  MatrixXd W;
  double ld;
  for (size_t s = 0; s < net.studies.size(); ++s) {
    const Study& st = net.studies[s];
    const int q = static_cast<int>(st.d.size());
    study_weight(st, tau2, W, ld);
    MatrixXd C = MatrixXd::Zero(q, q + 1);
    for (int j = 0; j < q; ++j) {
      C(j, 0) = -1.0;
      C(j, j + 1) = 1.0;
    }
    Lap[s] = C.transpose() * W * C;
  }
  VectorXd w(study.size());
  for (size_t i = 0; i < study.size(); ++i) {
    const Study& st = net.studies[study[i]];
    auto pos = [&](int t) {
      return static_cast<int>(std::lower_bound(st.arms.begin(), st.arms.end(), t) -
                              st.arms.begin());
    };
    w(i) = -Lap[study[i]](pos(t1[i]), pos(t2[i]));
  }
  return w;
}

// Everything dose_nma() reports of one design.
struct DoseFit {
  int status = OK;
  int rank = 0, rank_pinv = 0, df = 0;
  Tau2Estimate tau2;
  VectorXd beta_common, beta_random;
  MatrixXd cov_common, cov_random;
  double Q = 0.0, Q_random = 0.0;
  double loglik_ml = 0.0, loglik_reml = 0.0;
};

// Fit the dose-response model with node matrix A: common effects, tau^2 by
// `method` ("DL", "PM", "REML", "ML" of tau2.h, or "netdose": netdose's
// moment estimator with its unscaled pseudo-inverse, taken at the random-
// effects weights for the random-effects model as netdose does), random
// effects. `tau2_preset` >= 0 fixes tau^2.
inline DoseFit fit_dose(const Network& net, const MatrixXd& A, const std::string& method,
                        double tol_tau2, double tau2_preset) {
  DoseFit out;
  const bool netdose = method == "netdose";
  const MatrixDesign full = component_design(net, A);
  out.rank = dose_design_rank(net, full);
  out.df = net.n_obs - out.rank;
  DoseModel m0(net, A, dose_directions(net, full, 0.0, !netdose));
  out.rank_pinv = static_cast<int>(m0.T.cols());
  GlsFit fit;
  if (netdose) {
    fit = fit_gls(m0.model, "DL", tol_tau2, 0.0);
    if (fit.status != OK) {
      out.status = fit.status;
      return out;
    }
    if (tau2_preset >= 0.0) {
      out.tau2.tau2 = tau2_preset;
    } else {
      out.tau2.identifiable = out.df > 0;
      out.tau2.tau2 = netdose_tau2(net, full, m0.cov(fit.cov_common),
                                   fit.common.Q, out.df);
    }
    out.tau2.boundary = out.tau2.tau2 == 0.0;
  } else {
    fit = fit_gls(m0.model, method, tol_tau2, tau2_preset);
    if (fit.status != OK) {
      out.status = fit.status;
      return out;
    }
    out.tau2 = fit.tau2;
  }
  out.beta_common = m0.beta(fit.common.theta);
  out.cov_common = m0.cov(fit.cov_common);
  out.Q = fit.common.Q;
  const double t2 = out.tau2.tau2;
  if (!netdose || t2 == 0.0) {
    if (netdose) {
      fit.random = fit.common;
      fit.cov_random = fit.cov_common;
    }
    out.beta_random = m0.beta(fit.random.theta);
    out.cov_random = m0.cov(fit.cov_random);
    out.Q_random = fit.random.Q;
    out.loglik_ml = m0.model.loglik_ml(fit.random);
    out.loglik_reml = m0.model.loglik_reml(fit.random);
  } else {
    // netdose's pseudo-inverse at the random-effects weights.
    DoseModel m1(net, A, dose_directions(net, full, t2, false));
    Eigen::LLT<MatrixXd> llt;
    Evaluation random = m1.model.evaluate(t2, &llt);
    if (!random.ok) {
      out.status = SINGULAR;
      return out;
    }
    out.beta_random = m1.beta(random.theta);
    out.cov_random = m1.cov(m1.model.covariance(llt));
    out.Q_random = random.Q;
    out.loglik_ml = m1.model.loglik_ml(random);
    out.loglik_reml = m1.model.loglik_reml(random);
  }
  if (!out.beta_common.allFinite() || !out.beta_random.allFinite() ||
      !out.cov_common.allFinite() || !out.cov_random.allFinite() ||
      !std::isfinite(out.Q) || !std::isfinite(out.Q_random))
    out.status = NOT_FINITE;
  return out;
}

// Q of the common-effect model of another design (the lumped and split
// models), with its degrees of freedom: Q = d'Wd - b'L^+ b with L = X'WX and
// b = X'Wd at tau^2 = 0 (the residual Q of the GLS fit in the directions of
// the pseudo-inverse, from one pass over the studies).
inline double dose_common_Q(const Network& net, const MatrixXd& A, int& df) {
  const MatrixDesign full = component_design(net, A);
  df = net.n_obs - dose_design_rank(net, full);
  const int p = full.n_coef();
  MatrixXd L = MatrixXd::Zero(p, p), W;
  VectorXd b = VectorXd::Zero(p);
  double dWd = 0.0, ld;
  for (size_t s = 0; s < net.studies.size(); ++s) {
    const Study& st = net.studies[s];
    study_weight(st, 0.0, W, ld);
    full.add_study(s, st, W, L);
    const VectorXd Wd = W * st.d;
    full.add_rhs(s, st, Wd, b);
    dWd += st.d.dot(Wd);
  }
  const MatrixXd T = pinv_directions(L, true);
  if (T.cols() == 0) return dWd;
  const VectorXd Tb = T.transpose() * b;
  const MatrixXd LT = T.transpose() * L * T;
  return dWd - Tb.dot(LT.ldlt().solve(Tb));
}

}  // namespace fastnma

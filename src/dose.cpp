// Dose-response network meta-analysis (Mawdsley et al. 2016; in its
// frequentist, contrast-based form, Petropoulou et al. 2025).
//
// Every arm is a node: an agent at a dose. The effect of node t relative to
// the reference agent is A_t beta, where row A_t holds the dose
// transformation of the node's agent in that agent's columns (zero for the
// reference agent and for dose zero). A comparison of nodes a and b in a
// study has design row A_a - A_b, so the model is a GLS with design X.
//
// The comparisons are all pairwise contrasts of each study, weighted as in
// netmeta: a multi-arm study's contrasts get the reduced weights of Rucker &
// Schwarzer (2014), w_ab = -L_ab with L the pseudo-inverse of -P V P / 2
// (V the contrast variances of the study, P the centring matrix); random
// effects add tau^2 to every contrast variance before the reduction.
//
// The estimate is the minimum-norm solution beta = (X'WX)^+ X'Wy (columns
// aliased when an agent has one dose under a two-parameter function), with
// the pseudo-inverse dropping singular values below sqrt(eps) times the
// largest, as MASS::ginv() does: of the column-equilibrated matrix by
// default, of X'WX itself to reproduce netdose. The rank of the design itself
// (column-pivoted QR) gives the degrees of freedom.
//
// Self-contained (Eigen only): nothing here depends on the standard model's
// headers.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <Rcpp.h>
#include <RcppEigen.h>

#include "core/status.h"

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

struct DoseStudy {
  std::vector<int> rows;   // rows of the data (0-based)
  std::vector<int> arms;   // nodes of the study, order of appearance
  std::vector<int> ia, ib; // arm positions of each row
};

// Pseudo-inverse of a symmetric matrix, with MASS::ginv()'s tolerance.
MatrixXd pinv_sym(const MatrixXd& M, int* rank = nullptr) {
  const int n = static_cast<int>(M.rows());
  if (n == 0) {
    if (rank) *rank = 0;
    return MatrixXd(0, 0);
  }
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(M);
  const VectorXd& ev = es.eigenvalues();
  double top = ev.cwiseAbs().maxCoeff();
  double tol = std::sqrt(std::numeric_limits<double>::epsilon()) * top;
  VectorXd inv = VectorXd::Zero(n);
  int r = 0;
  for (int k = 0; k < n; ++k) {
    if (std::abs(ev(k)) > tol && top > 0) {
      inv(k) = 1.0 / ev(k);
      ++r;
    }
  }
  if (rank) *rank = r;
  return es.eigenvectors() * inv.asDiagonal() * es.eigenvectors().transpose();
}

// Reduced weights of every row at tau2. Returns false if a weight is not
// positive and finite.
bool reduced_weights(const std::vector<DoseStudy>& studies, const VectorXd& se,
                     double tau2, VectorXd& w) {
  w.resize(se.size());
  for (const DoseStudy& s : studies) {
    const int p = static_cast<int>(s.arms.size());
    if (s.rows.size() == 1) {
      int r = s.rows[0];
      w(r) = 1.0 / (se(r) * se(r) + tau2);
      continue;
    }
    MatrixXd V = MatrixXd::Zero(p, p);
    for (size_t k = 0; k < s.rows.size(); ++k) {
      int r = s.rows[k];
      double v = se(r) * se(r) + tau2;
      V(s.ia[k], s.ib[k]) = v;
      V(s.ib[k], s.ia[k]) = v;
    }
    MatrixXd P = MatrixXd::Identity(p, p) - MatrixXd::Constant(p, p, 1.0 / p);
    MatrixXd L = pinv_sym(-0.5 * P * V * P);
    for (size_t k = 0; k < s.rows.size(); ++k) w(s.rows[k]) = -L(s.ia[k], s.ib[k]);
  }
  for (int r = 0; r < w.size(); ++r)
    if (!(std::isfinite(w(r)) && w(r) > 0)) return false;
  return true;
}

struct DoseEval {
  VectorXd beta;
  MatrixXd cov;
  VectorXd w;
  double Q = NA_REAL;
  int rank_pinv = 0;
  bool ok = false;
};

DoseEval evaluate(const std::vector<DoseStudy>& studies, const MatrixXd& X,
                  const VectorXd& y, const VectorXd& se, double tau2, bool equilibrate) {
  DoseEval ev;
  if (!reduced_weights(studies, se, tau2, ev.w)) return ev;
  MatrixXd WX = ev.w.asDiagonal() * X;
  MatrixXd L = X.transpose() * WX;
  if (equilibrate) {
    // Columns scaled to unit diagonal before the pseudo-inverse, so that
    // dose transformations of very different magnitudes (x^2 of doses in
    // the hundreds next to doses in micrograms) are all resolved; the
    // minimum-norm solution of aliased columns is then taken in the scaled
    // metric.
    VectorXd d = L.diagonal().cwiseSqrt();
    for (int j = 0; j < d.size(); ++j) if (!(d(j) > 0)) d(j) = 1.0;
    VectorXd di = d.cwiseInverse();
    MatrixXd Ls = di.asDiagonal() * L * di.asDiagonal();
    ev.cov = di.asDiagonal() * pinv_sym(Ls, &ev.rank_pinv) * di.asDiagonal();
  } else {
    ev.cov = pinv_sym(L, &ev.rank_pinv);
  }
  ev.beta = ev.cov * (WX.transpose() * y);
  VectorXd r = y - X * ev.beta;
  ev.Q = r.dot(ev.w.asDiagonal() * r);
  ev.ok = ev.beta.allFinite() && std::isfinite(ev.Q);
  return ev;
}

// Denominator of the moment estimator of tau^2,
//   tr((I - H) M W),  H = X (X'WX)^+ X'W,  M block-diagonal by study,
// with M_s = B_s B_s' / 2 (B_s the arm incidence of the study's contrasts:
// the covariance structure of the random effects, "DL") or
// M_s = X_s X_s' / 2 (the dose design in place of the incidence, which is
// what netdose 0.7-5 computes, "netdose").
double moment_denominator(const std::vector<DoseStudy>& studies, const MatrixXd& X,
                          const DoseEval& ev, bool design) {
  const int p = static_cast<int>(X.cols());
  double trMW = 0.0;
  MatrixXd S = MatrixXd::Zero(p, p);
  for (const DoseStudy& s : studies) {
    const int m = static_cast<int>(s.rows.size());
    MatrixXd M(m, m);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < m; ++j) {
        if (design) {
          M(i, j) = 0.5 * X.row(s.rows[i]).dot(X.row(s.rows[j]));
        } else {
          double b = 0.0;
          if (s.ia[i] == s.ia[j]) b += 1.0;
          if (s.ib[i] == s.ib[j]) b += 1.0;
          if (s.ia[i] == s.ib[j]) b -= 1.0;
          if (s.ib[i] == s.ia[j]) b -= 1.0;
          M(i, j) = 0.5 * b;
        }
      }
    }
    MatrixXd Xs(m, p);
    VectorXd ws(m);
    for (int i = 0; i < m; ++i) {
      Xs.row(i) = X.row(s.rows[i]);
      ws(i) = ev.w(s.rows[i]);
    }
    for (int i = 0; i < m; ++i) trMW += M(i, i) * ws(i);
    MatrixXd WXs = ws.asDiagonal() * Xs;
    S.noalias() += WXs.transpose() * M * WXs;
  }
  return trMW - (ev.cov * S).trace();
}

int design_rank(const MatrixXd& X) {
  if (X.cols() == 0) return 0;
  Eigen::ColPivHouseholderQR<MatrixXd> qr(X);
  return static_cast<int>(qr.rank());
}

Rcpp::NumericMatrix mat_r(const MatrixXd& m) {
  Rcpp::NumericMatrix out(m.rows(), m.cols());
  std::copy(m.data(), m.data() + m.size(), out.begin());
  return out;
}

Rcpp::NumericVector vec_r(const VectorXd& v) {
  return Rcpp::NumericVector(v.data(), v.data() + v.size());
}

MatrixXd design_of(const MatrixXd& A, const Rcpp::IntegerVector& n1,
                   const Rcpp::IntegerVector& n2) {
  MatrixXd X(n1.size(), A.cols());
  for (R_xlen_t r = 0; r < n1.size(); ++r) X.row(r) = A.row(n1[r] - 1) - A.row(n2[r] - 1);
  return X;
}

}  // namespace

// Fits the dose-response model with node design A (nodes x columns), common
// and random effects, on the network object of the fit (`codes$study`,
// `codes$treat1`, `codes$treat2`: 1-based study and node codes; the rows of
// a study must hold every pair of its arms, checked in R; `data$estimate`,
// `data$std.error`; `studies`). Options: `tau2_method` "DL" or "netdose"
// (see moment_denominator); `tau2_preset` >= 0 fixes tau^2; `equilibrate`:
// scale the columns before the pseudo-inverse (false: netdose's
// pseudo-inverse of the unscaled X'WX); `A_lump` and `A_split`: the designs
// of the lumped (one effect per agent) and split (one effect per agent and
// dose) models, for their Q; `others`.
// Status (src/core/status.h): OK, or NOT_FINITE when weights or estimates are
// not finite.
// [[Rcpp::export]]
Rcpp::List dose_fit_cpp(Rcpp::List network, Rcpp::NumericMatrix A, Rcpp::List opts) {
  Rcpp::List codes = network["codes"], data = network["data"];
  Rcpp::IntegerVector study = codes["study"], node1 = codes["treat1"], node2 = codes["treat2"];
  Rcpp::NumericVector y = data["estimate"], se = data["std.error"];
  const int n_study = Rf_length(network["studies"]);
  const std::string tau2_method = Rcpp::as<std::string>(opts["tau2_method"]);
  const double tau2_preset = Rcpp::as<double>(opts["tau2_preset"]);
  Rcpp::NumericMatrix A_lump = opts["A_lump"], A_split = opts["A_split"];
  const bool others = Rcpp::as<bool>(opts["others"]);
  const bool equilibrate = Rcpp::as<bool>(opts["equilibrate"]);
  const R_xlen_t m = y.size();
  std::vector<DoseStudy> studies(n_study);
  for (R_xlen_t r = 0; r < m; ++r) {
    DoseStudy& s = studies[study[r] - 1];
    auto pos = [&](int node) {
      for (size_t k = 0; k < s.arms.size(); ++k) if (s.arms[k] == node) return static_cast<int>(k);
      s.arms.push_back(node);
      return static_cast<int>(s.arms.size()) - 1;
    };
    s.rows.push_back(static_cast<int>(r));
    s.ia.push_back(pos(node1[r]));
    s.ib.push_back(pos(node2[r]));
  }
  int n_obs = 0;
  for (const DoseStudy& s : studies) n_obs += static_cast<int>(s.arms.size()) - 1;

  Eigen::Map<const VectorXd> yv(y.begin(), m), sev(se.begin(), m);
  VectorXd yy = yv, ss = sev;
  Eigen::Map<const MatrixXd> Am(A.begin(), A.nrow(), A.ncol());
  MatrixXd X = design_of(Am, node1, node2);
  const int rank = design_rank(X);
  const int df = n_obs - rank;

  DoseEval common = evaluate(studies, X, yy, ss, 0.0, equilibrate);
  if (!common.ok) return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(fastnma::NOT_FINITE));

  double tau2 = 0.0;
  bool identifiable = df > 0;
  if (tau2_preset >= 0.0) {
    tau2 = tau2_preset;
  } else if (identifiable && common.Q > df) {
    double den = moment_denominator(studies, X, common, tau2_method == "netdose");
    tau2 = (common.Q - df) / den;
    if (!(tau2 > 0) || !std::isfinite(tau2)) tau2 = 0.0;
  }
  DoseEval random = evaluate(studies, X, yy, ss, tau2, equilibrate);
  if (!random.ok) return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(fastnma::NOT_FINITE));

  Rcpp::List out;
  out["status"] = static_cast<int>(fastnma::OK);
  out["beta_common"] = vec_r(common.beta);
  out["cov_common"] = mat_r(common.cov);
  out["beta_random"] = vec_r(random.beta);
  out["cov_random"] = mat_r(random.cov);
  out["w_common"] = vec_r(common.w);
  out["w_random"] = vec_r(random.w);
  out["Q"] = common.Q;
  out["Q_random"] = random.Q;
  out["df"] = df;
  out["rank"] = rank;
  out["rank_pinv"] = common.rank_pinv;
  out["tau2"] = tau2;
  out["tau2_identifiable"] = identifiable;
  out["n_obs"] = n_obs;
  if (others) {
    Eigen::Map<const MatrixXd> Al(A_lump.begin(), A_lump.nrow(), A_lump.ncol());
    Eigen::Map<const MatrixXd> As(A_split.begin(), A_split.nrow(), A_split.ncol());
    MatrixXd Xl = design_of(Al, node1, node2), Xs = design_of(As, node1, node2);
    DoseEval el = evaluate(studies, Xl, yy, ss, 0.0, true), es = evaluate(studies, Xs, yy, ss, 0.0, true);
    out["Q_lump"] = el.Q;
    out["df_lump"] = n_obs - design_rank(Xl);
    out["Q_split"] = es.Q;
    out["df_split"] = n_obs - design_rank(Xs);
  }
  return out;
}

// The likelihood of the network without a set S of studies, from the full
// fit by low-rank updates, and the tau^2 of that reduced network.
//
// Shared by leave_one_out() (S = one study) and node_split(method =
// "separate") (S = the studies of one comparison). With U_S the stacked
// basic-contrast design of the studies in S (q = sum of their contrasts),
// V_S their block-diagonal covariance and C the full fit's covariance, the
// reduced fit follows from K = (V_S - U_S C U_S')^{-1} (Sherman-Morrison-
// Woodbury): C_(S) = C + C U_S' K U_S C and theta_(S) = theta - C U_S' K e_S.
// Every trace of the REML/ML score and second derivative (Model::derivs)
// becomes the full-network trace plus q x q products; residuals of the other
// studies move with theta and are recomputed (O(k) per set).
#pragma once

#include "evidence.h"
#include "tau2.h"

#include <memory>
#include <string>

namespace fastnma {

// The basic contrasts of a set of studies, stacked: row i is
// theta(plus[i]) - theta(minus[i]); `off[j]` is the first row of study
// studies[j].
struct StudySet {
  std::vector<int> studies, plus, minus, off;
  int q = 0;
};

inline StudySet study_set(const Network& net, const std::vector<int>& S) {
  StudySet ss;
  ss.studies = S;
  for (int s : S) {
    const Study& st = net.studies[s];
    ss.off.push_back(ss.q);
    const int qs = static_cast<int>(st.d.size());
    for (int j = 0; j < qs; ++j) {
      ss.plus.push_back(st.arms[j + 1]);
      ss.minus.push_back(st.arms[0]);
    }
    ss.q += qs;
  }
  return ss;
}

// U_S C (q x n).
inline MatrixXd set_Z(const StudySet& ss, const MatrixXd& C) {
  MatrixXd Z(ss.q, C.cols());
  for (int i = 0; i < ss.q; ++i) Z.row(i) = C.row(ss.plus[i]) - C.row(ss.minus[i]);
  return Z;
}

// U_S C U_S' from Z = U_S C.
inline MatrixXd set_H(const StudySet& ss, const MatrixXd& Z) {
  MatrixXd H(ss.q, ss.q);
  for (int l = 0; l < ss.q; ++l) H.col(l) = Z.col(ss.plus[l]) - Z.col(ss.minus[l]);
  return H;
}

// U_S X U_S' (q x q) for an n x n matrix X.
inline MatrixXd set_sandwich(const StudySet& ss, const MatrixXd& X) {
  MatrixXd out(ss.q, ss.q);
  for (int j = 0; j < ss.q; ++j) {
    const int a = ss.plus[j], b = ss.minus[j];
    for (int l = 0; l < ss.q; ++l) {
      const int c = ss.plus[l], d = ss.minus[l];
      out(j, l) = X(a, c) - X(a, d) - X(b, c) + X(b, d);
    }
  }
  return out;
}

// Block-diagonal matrix of one q_s x q_s block per study of the set.
template <class Block>
inline MatrixXd set_blockdiag(const StudySet& ss, Block block) {
  MatrixXd out = MatrixXd::Zero(ss.q, ss.q);
  for (size_t j = 0; j < ss.studies.size(); ++j) {
    MatrixXd b = block(ss.studies[j]);
    out.block(ss.off[j], ss.off[j], b.rows(), b.cols()) = b;
  }
  return out;
}

// The residuals e_S of the set (stacked).
inline VectorXd set_resid(const StudySet& ss, const FixedFit& f) {
  VectorXd e(ss.q);
  for (size_t j = 0; j < ss.studies.size(); ++j) {
    const VectorXd& r = f.resid[ss.studies[j]];
    e.segment(ss.off[j], r.size()) = r;
  }
  return e;
}

// Estimate and variance of b vs a in the network without the set, at the
// tau^2 of the fit f, by the rank-q downdate of f (false if the downdate is
// singular: the set is the only link of some treatments).
inline bool set_downdate_pair(const Network& net, const FixedFit& f, const StudySet& ss,
                              int a, int b, double& est, double& var) {
  MatrixXd Z = set_Z(ss, f.C);
  MatrixXd V = set_blockdiag(ss, [&](int s) { return MatrixXd(f.W[s].inverse()); });
  MatrixXd M = V - set_H(ss, Z);
  Eigen::LDLT<MatrixXd> ldlt(M);
  if (ldlt.info() != Eigen::Success) return false;
  VectorXd zc = Z.col(b) - Z.col(a);
  double e0, v0;
  pair_estimate(f, a, b, e0, v0);
  est = e0 - zc.dot(ldlt.solve(set_resid(ss, f)));
  var = v0 + zc.dot(ldlt.solve(zc));
  (void)net;
  return std::isfinite(est) && std::isfinite(var) && var > 0;
}

// Derivatives of the (restricted) likelihood of the network without a set of
// studies, at the tau^2 of a fixed fit of the full network, by low-rank
// updates of the full fit (no refit). With D = C U'K U C the downdated
// covariance is C + D and M loses U'A U (A = W R W, block-diagonal); every
// trace of the score and of the second derivative (Model::derivs) becomes
// the full-network trace plus q x q products of H = U C U', U (CMC) U',
// U (CMCMC) U' and U (C M2 C) U'.
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

  // Score and second derivative without the studies S (false if the
  // downdate is singular, i.e. the removal disconnects the network). `Q` and
  // `slope` receive Q and tr(W R) - tr(G M) of the reduced network (the
  // pieces of the DL estimator when the fit is at tau^2 = 0).
  bool eval(const std::vector<int>& S, bool hessian, double& score, double& hess,
            double& Q, double& slope) const {
    const StudySet ss = study_set(net, S);
    const int q = ss.q;
    MatrixXd Z = set_Z(ss, f.C);
    MatrixXd H = set_H(ss, Z);
    MatrixXd V = set_blockdiag(ss, [&](int s) { return MatrixXd(f.W[s].inverse()); });
    Eigen::LLT<MatrixXd> kl(V - H);
    if (kl.info() != Eigen::Success) return false;
    MatrixXd K = kl.solve(MatrixXd::Identity(q, q));
    // guard against a numerically singular downdate
    if (!(K.diagonal().maxCoeff() * V.diagonal().maxCoeff() < 1e10)) return false;
    MatrixXd W = set_blockdiag(ss, [&](int s) { return f.W[s]; });
    MatrixXd R = set_blockdiag(ss, [&](int s) { return Rs[s]; });
    MatrixXd A = W * R * W;
    MatrixXd P1 = set_sandwich(ss, P);
    double trGM_s = trGM - (A * H).trace() + (K * P1).trace() - (K * H * A * H).trace();
    double trWR_s = trWR - (W * R).trace();
    // theta without S, and the residual sums of the other studies
    VectorXd Ke = K * set_resid(ss, f);
    VectorXd theta = f.theta - Z.transpose() * Ke;
    const int n = net.n_treat;
    std::vector<char> out_of(net.studies.size(), 0);
    for (int s : S) out_of[s] = 1;
    double rWr = 0, rWRWr = 0, rWRWRWr = 0;
    VectorXd h = VectorXd::Zero(n);
    for (size_t t = 0; t < net.studies.size(); ++t) {
      if (out_of[t]) continue;
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
        MatrixXd P3s = set_sandwich(ss, P3), P2s = set_sandwich(ss, P2);
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

// A full fit at a second tau^2 with its low-rank machinery.
struct SideFit {
  double tau2;
  std::unique_ptr<Model> model;
  FixedFit f;
  std::unique_ptr<ReducedLikelihood> rl;
  bool ok = false;
  // `likelihood`: build the low-rank machinery of the reduced likelihood
  // (not needed for downdates of estimates only)
  SideFit(const Network& net, int ref, double t, bool reml, bool likelihood = true)
      : tau2(t) {
    model.reset(new Model(net, ref));
    f = fixed_fit(*model, t);
    ok = f.ok;
    if (ok && likelihood) rl.reset(new ReducedLikelihood(net, f, reml, true));
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

// tau^2 of the network without a set of studies, from the full fit by
// low-rank updates: DL exactly (Q, df and tr(WR) - tr(GM) of the reduced
// network at tau^2 = 0, from the fit f0 at tau^2 = 0), REML and ML by one
// Newton step from the full-network estimate with the reduced network's
// exact score and second derivative there when that step is at most 1e-4 of
// tau^2, else the root of the cubic Hermite interpolant of the reduced
// network's score between tau^2 and tau^2 (1 +- 2.5%) (full fits there,
// "side fits", built once, low-rank updates per set). `estimate()` returns
// false when none of these applies (the caller refits).
class LowRankTau2 {
 public:
  static constexpr double kSide = 0.025;  // side fits at tau^2 (1 +- kSide)

  LowRankTau2(const Network& net, int ref, const FixedFit& f0, const FixedFit& f1,
              const std::string& method)
      : net_(net), ref_(ref), f1_(f1), method_(method) {
    if (method == "DL") rl_.reset(new ReducedLikelihood(net, f0, false, false));
    else rl_.reset(new ReducedLikelihood(net, f1, method == "REML", true));
  }

  // The side fit above (up) or below the full fit's tau^2, built on first use.
  const SideFit& side(bool up) {
    std::unique_ptr<SideFit>& s = up ? hi_ : lo_;
    if (!s) s.reset(new SideFit(net_, ref_, f1_.tau2 * (up ? 1.025 : 0.975),
                                method_ == "REML"));
    return *s;
  }

  // Fits at tau^2 (1 +- kNear), for interpolating estimates close to tau^2
  // (no likelihood machinery), built on first use.
  static constexpr double kNear = 0.005;
  const SideFit& near(bool up) {
    std::unique_ptr<SideFit>& s = up ? near_hi_ : near_lo_;
    if (!s) s.reset(new SideFit(net_, ref_, f1_.tau2 * (up ? 1.005 : 0.995),
                                method_ == "REML", false));
    return *s;
  }

  // `df_S`: residual degrees of freedom of the reduced network.
  bool estimate(const std::vector<int>& S, int df_S, double& tau2) {
    double score, hess, Qs, slope;
    if (method_ == "DL") {
      if (!rl_->eval(S, false, score, hess, Qs, slope)) return false;
      double t = 0.0;
      if (df_S > 0 && Qs > df_S && slope > 0) t = (Qs - df_S) / slope;
      tau2 = t;
      return true;
    }
    if (!rl_->eval(S, true, score, hess, Qs, slope)) return false;
    const double t1 = f1_.tau2;
    if (t1 == 0.0 && score <= 0.0) {
      tau2 = 0.0;  // still at the boundary
      return true;
    }
    // One Newton step when it is tiny (error of the order of its square);
    // otherwise the score is interpolated (cubic Hermite, from its values
    // and slopes at tau^2 and at tau^2 (1 +- 2.5%), both by low-rank
    // updates) and its root taken.
    const double step = hess < 0 ? -score / hess : NA_DOUBLE;
    if (hess < 0 && std::abs(step) <= 1e-4 * t1) {
      tau2 = std::max(0.0, t1 + step);
      return true;
    }
    if (hess < 0 && t1 > 0 && std::abs(step) <= kSide * t1) {
      const SideFit& sd = side(step > 0);
      double s1, h1, q1, sl1, root;
      if (sd.ok && sd.rl->eval(S, true, s1, h1, q1, sl1) &&
          hermite_root(t1, sd.tau2, score, hess, s1, h1, t1 + step, root)) {
        tau2 = root;
        return true;
      }
    }
    if (hess < 0 && t1 == 0.0 && step > 0 && step <= 1e-5 * median_within_variance(net_)) {
      tau2 = step;
      return true;
    }
    return false;
  }

 private:
  const Network& net_;
  int ref_;
  const FixedFit& f1_;
  std::string method_;
  std::unique_ptr<ReducedLikelihood> rl_;
  std::unique_ptr<SideFit> lo_, hi_, near_lo_, near_hi_;
};

}  // namespace fastnma

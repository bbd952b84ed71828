// One-stage binomial-normal network meta-analysis with fixed study effects
// (the "GLMM" method of nma_binary()), fitted by maximum likelihood.
//
// Plain C++17 + Eigen, no R.
//
// Model. Study i has arms k = 0..a_i-1; arm 0 is its baseline (its first arm
// in the treatment order). events_ik ~ Bin(n_ik, p_ik),
//   logit p_i0 = alpha_i,
//   logit p_ik = alpha_i + d[t_ik] - d[t_i0] + delta_ik   (k >= 1),
//   delta_i ~ N(0, tau^2 P), P = 0.5 (I + 11') of size a_i - 1,
// alpha_i fixed, d[ref] = 0. tau = 0 is the common-effect model.
//
// The random effects are written delta_i = tau L u, L L' = P, u ~ N(0, I)
// (lme4's spherical random effects), so that the study's marginal
// likelihood is smooth and even in tau and reduces to the plain binomial
// likelihood at tau = 0. Its approximation is adaptive Gauss-Hermite
// quadrature around the conditional mode of u (Newton), with the product
// rule of `n_agq` nodes over the a_i - 1 dimensions, the nodes rotated by
// the Cholesky factor of the curvature at the mode; n_agq = 1 is the
// Laplace approximation. The mode is found anew at every evaluation, as
// glmer() does, so the function maximised is the one glmer() maximises.
//
// Fit. Newton-Raphson with Levenberg damping on (alpha, d, tau) (tau only
// when it is free), the derivatives of each study's approximated
// log-likelihood in its few own parameters (alpha_i, its a_i - 1 contrasts,
// tau) by central differences, assembled with the alpha_i eliminated by
// their Schur complement (the alpha_i are one-dimensional problems once
// d and tau are fixed). The covariance of d is the d block of the inverse
// of the negative Hessian in (alpha, d, tau), as glmer's vcov() (which
// takes the fixed-effects block of the inverse Hessian in (theta, beta));
// at tau = 0 the Hessian in (alpha, d) alone.
#pragma once

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "status.h"

namespace fastnma {
namespace glmm {

using Eigen::MatrixXd;
using Eigen::VectorXd;

struct Study {
  std::vector<int> treat;  // 0-based treatment of each arm, baseline first
  std::vector<double> e, n;
};

struct Options {
  int n_agq = 7;              // quadrature nodes per dimension (1 = Laplace)
  double tol = 1e-10;         // convergence: Newton decrement
  int max_iter = 200;
  double level = 0.95;        // of the profile-likelihood interval of tau^2
  double crit = 3.841458820694124;  // chi-square(1) quantile at `level`
  bool profile = true;
  double tau_fixed = -1.0;    // >= 0: the "random" part at this tau (profile)
};

// Gauss-Hermite rule for the standard normal density (Golub-Welsch):
// nodes and weights summing to 1.
inline void gh_rule(int n, std::vector<double>& z, std::vector<double>& w) {
  z.assign(n, 0.0);
  w.assign(n, 1.0);
  if (n <= 1) return;
  MatrixXd J = MatrixXd::Zero(n, n);
  for (int k = 1; k < n; ++k) J(k, k - 1) = J(k - 1, k) = std::sqrt(static_cast<double>(k));
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(J);
  double s = 0.0;
  for (int k = 0; k < n; ++k) {
    z[k] = es.eigenvalues()(k);
    w[k] = es.eigenvectors()(0, k) * es.eigenvectors()(0, k);
    s += w[k];
  }
  for (int k = 0; k < n; ++k) w[k] /= s;
  // exact symmetry (the middle node of an odd rule is 0)
  for (int k = 0; k < n / 2; ++k) {
    const double a = 0.5 * (z[n - 1 - k] - z[k]);
    z[k] = -a;
    z[n - 1 - k] = a;
    const double b = 0.5 * (w[k] + w[n - 1 - k]);
    w[k] = w[n - 1 - k] = b;
  }
  if (n % 2 == 1) z[n / 2] = 0.0;
}

inline double log1pexp(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

inline double lchoose(double n, double k) {
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
}

inline double size_of(double x) { return std::abs(x); }
inline double size_of(const VectorXd& x) { return x.norm(); }

// One Newton step of the conditional mode, halved until h does not
// decrease; returns true when the step taken is negligible (converged).
template <class V, class F>
bool halving_step(const F& hfun, V& u, const V& step, double& hv) {
  double t = 1.0;
  V un = u + step;
  double hn = hfun(un);
  while (hn < hv - 1e-14 * (1.0 + std::abs(hv)) && t > 1e-8) {
    t *= 0.5;
    un = u + t * step;
    hn = hfun(un);
  }
  u = un;
  hv = hn;
  return size_of(step) * t < 1e-11 * (1.0 + size_of(u));
}

// The approximated log-likelihood of one study as a function of its own
// parameters: alpha, the a - 1 contrasts gamma_k = d[t_k] - d[t_0], tau.
class StudyLik {
 public:
  StudyLik(const Study& s, const std::vector<double>& z, const std::vector<double>& w)
      : s_(s), z_(z), w_(w) {
    a_ = static_cast<int>(s.treat.size());
    m_ = a_ - 1;
    MatrixXd P = MatrixXd::Constant(m_, m_, 0.5);
    P.diagonal().setOnes();
    L_ = P.llt().matrixL();
    u_ = VectorXd::Zero(m_);
    c_ = 0.0;
    for (int k = 0; k < a_; ++k) c_ += lchoose(s.n[k], s.e[k]);
  }
  int dims() const { return m_; }
  int n_par() const { return m_ + 2; }

  // The two-arm case without matrices: the integral over the one random
  // effect of the non-baseline arm with linear predictor eta0 + tau u.
  double scalar(double eta0, double tau) {
    const double e = s_.e[1], n = s_.n[1];
    double u = std::isfinite(u_[0]) ? u_[0] : 0.0;
    auto hfun = [&](double uu) {
      const double eta = eta0 + tau * uu;
      return e * eta - n * log1pexp(eta) - 0.5 * uu * uu;
    };
    double hv = hfun(u), H = 1.0;
    bool ok = false;
    for (int it = 0; it < 100; ++it) {
      const double pk = 1.0 / (1.0 + std::exp(-(eta0 + tau * u)));
      const double g = tau * (e - n * pk) - u;
      H = tau * tau * n * pk * (1.0 - pk) + 1.0;
      if (halving_step(hfun, u, g / H, hv)) {
        ok = true;
        break;
      }
    }
    if (!ok || !std::isfinite(u)) return std::numeric_limits<double>::quiet_NaN();
    const double pk = 1.0 / (1.0 + std::exp(-(eta0 + tau * u)));
    H = tau * tau * n * pk * (1.0 - pk) + 1.0;
    u_[0] = u;
    const double sd = 1.0 / std::sqrt(H);
    const int q = static_cast<int>(z_.size());
    if (q == 1) return hv + std::log(sd);
    double mx = -std::numeric_limits<double>::infinity();
    double terms[64];
    for (int j = 0; j < q; ++j) {
      terms[j] = std::log(w_[j]) + hfun(u + sd * z_[j]) - hv + 0.5 * z_[j] * z_[j];
      mx = std::max(mx, terms[j]);
    }
    double sum = 0.0;
    for (int j = 0; j < q; ++j) sum += std::exp(terms[j] - mx);
    return hv + std::log(sd) + mx + std::log(sum);
  }

  // log-likelihood (with the binomial coefficients) at local parameters
  // p = (alpha, gamma_1..gamma_m, tau). Returns NaN when the mode search
  // fails.
  double operator()(const VectorXd& p) {
    const double alpha = p[0], tau = p[m_ + 1];
    const double e0 = s_.e[0], n0 = s_.n[0];
    const double base = e0 * alpha - n0 * log1pexp(alpha);
    if (m_ == 0) return base + c_;
    if (m_ == 1) return scalar(alpha + p[1], tau) + base + c_;
    VectorXd gam = p.segment(1, m_);
    // conditional mode of u
    VectorXd u = u_;
    if (!u.allFinite()) u.setZero();
    const MatrixXd TL = tau * L_;
    MatrixXd H(m_, m_);
    VectorXd g(m_), wv(m_);
    auto hfun = [&](const VectorXd& uu) {
      VectorXd eta = VectorXd::Constant(m_, alpha) + gam + TL * uu;
      double v = -0.5 * uu.squaredNorm();
      for (int k = 0; k < m_; ++k) v += s_.e[k + 1] * eta[k] - s_.n[k + 1] * log1pexp(eta[k]);
      return v;
    };
    double hv = hfun(u);
    bool ok = false;
    for (int it = 0; it < 100; ++it) {
      VectorXd eta = VectorXd::Constant(m_, alpha) + gam + TL * u;
      VectorXd r(m_);
      for (int k = 0; k < m_; ++k) {
        const double pk = 1.0 / (1.0 + std::exp(-eta[k]));
        r[k] = s_.e[k + 1] - s_.n[k + 1] * pk;
        wv[k] = s_.n[k + 1] * pk * (1.0 - pk);
      }
      g = TL.transpose() * r - u;
      H = TL.transpose() * wv.asDiagonal() * TL;
      H.diagonal().array() += 1.0;
      const VectorXd step = H.llt().solve(g);
      if (halving_step(hfun, u, step, hv)) {
        ok = true;
        break;
      }
    }
    if (!ok || !u.allFinite()) return std::numeric_limits<double>::quiet_NaN();
    // curvature at the mode
    {
      VectorXd eta = VectorXd::Constant(m_, alpha) + gam + TL * u;
      for (int k = 0; k < m_; ++k) {
        const double pk = 1.0 / (1.0 + std::exp(-eta[k]));
        wv[k] = s_.n[k + 1] * pk * (1.0 - pk);
      }
      H = TL.transpose() * wv.asDiagonal() * TL;
      H.diagonal().array() += 1.0;
    }
    u_ = u;
    Eigen::LLT<MatrixXd> llt(H);
    MatrixXd R = llt.matrixU();
    double logdetR = 0.0;
    for (int k = 0; k < m_; ++k) logdetR += std::log(R(k, k));
    const int q = static_cast<int>(z_.size());
    double out;
    if (q == 1) {
      out = hv - logdetR;
    } else {
      MatrixXd Rinv = R.triangularView<Eigen::Upper>().solve(MatrixXd::Identity(m_, m_));
      std::vector<int> idx(m_, 0);
      long total = 1;
      for (int k = 0; k < m_; ++k) total *= q;
      double mx = -std::numeric_limits<double>::infinity();
      std::vector<double> terms(static_cast<size_t>(total));
      VectorXd zz(m_);
      for (long j = 0; j < total; ++j) {
        double lw = 0.0;
        for (int k = 0; k < m_; ++k) {
          zz[k] = z_[idx[k]];
          lw += std::log(w_[idx[k]]);
        }
        VectorXd uu = u + Rinv * zz;
        const double t = lw + hfun(uu) - hv + 0.5 * zz.squaredNorm();
        terms[j] = t;
        mx = std::max(mx, t);
        for (int k = 0; k < m_; ++k) {
          if (++idx[k] < q) break;
          idx[k] = 0;
        }
      }
      double sum = 0.0;
      for (double t : terms) sum += std::exp(t - mx);
      out = hv - logdetR + mx + std::log(sum);
    }
    return out + base + c_;
  }

 private:
  const Study& s_;
  const std::vector<double>& z_;
  const std::vector<double>& w_;
  int a_ = 0, m_ = 0;
  MatrixXd L_;
  VectorXd u_;
  double c_ = 0.0;
};

struct Fit {
  int status = FIT_OK;  // FitStatus (status.h)
  int iterations = 0;
  double loglik = 0.0;
  VectorXd alpha, d;    // d over all treatments (d[ref] = 0)
  double tau = 0.0;
  MatrixXd cov_d;       // over all treatments (ref row/col 0)
  VectorXd se_alpha;
};

// The network-level likelihood with its derivatives.
class Model {
 public:
  Model(const std::vector<Study>& studies, int n_treat, int ref, const Options& opt)
      : studies_(studies), T_(n_treat), ref_(ref), opt_(opt) {
    gh_rule(std::max(1, opt.n_agq), z_, w_);
    S_ = static_cast<int>(studies.size());
    pos_.assign(T_, -1);
    int j = 0;
    for (int t = 0; t < T_; ++t)
      if (t != ref_) pos_[t] = j++;
    G_ = T_;  // T - 1 d's and tau
    for (const auto& s : studies_) lik_.emplace_back(s, z_, w_);
  }
  int S() const { return S_; }
  int G() const { return G_; }

  VectorXd local(int i, const VectorXd& alpha, const VectorXd& glob) const {
    const Study& s = studies_[i];
    const int m = static_cast<int>(s.treat.size()) - 1;
    VectorXd p(m + 2);
    p[0] = alpha[i];
    const double d0 = dval(s.treat[0], glob);
    for (int k = 1; k <= m; ++k) p[k] = dval(s.treat[k], glob) - d0;
    p[m + 1] = glob[G_ - 1];
    return p;
  }
  double dval(int t, const VectorXd& glob) const {
    return t == ref_ ? 0.0 : glob[pos_[t]];
  }

  double value(const VectorXd& alpha, const VectorXd& glob) {
    double v = 0.0;
    for (int i = 0; i < S_; ++i) v += lik_[i](local(i, alpha, glob));
    return v;
  }

  // Gradient and Hessian blocks: alpha (diag A, gradient ga), cross B
  // (S x G), global C (G x G), gradient gg.
  void derivs(const VectorXd& alpha, const VectorXd& glob, bool with_tau, VectorXd& ga,
              VectorXd& A, MatrixXd& B, VectorXd& gg, MatrixXd& C, double& val) {
    ga.setZero(S_);
    A.setZero(S_);
    B.setZero(S_, G_);
    gg.setZero(G_);
    C.setZero(G_, G_);
    val = 0.0;
    const double h = 1e-4;
    for (int i = 0; i < S_; ++i) {
      StudyLik& f = lik_[i];
      VectorXd p = local(i, alpha, glob);
      const int np = static_cast<int>(p.size());
      const int nd = with_tau ? np : np - 1;  // parameters differentiated
      const double f0 = f(p);
      val += f0;
      VectorXd g = VectorXd::Zero(np), fp(np), fm(np);
      MatrixXd H = MatrixXd::Zero(np, np);
      for (int a = 0; a < nd; ++a) {
        VectorXd q = p;
        q[a] += h;
        fp[a] = f(q);
        q[a] = p[a] - h;
        fm[a] = f(q);
        g[a] = (fp[a] - fm[a]) / (2 * h);
        H(a, a) = (fp[a] - 2 * f0 + fm[a]) / (h * h);
      }
      for (int a = 0; a < nd; ++a) {
        for (int b = a + 1; b < nd; ++b) {
          VectorXd q = p;
          q[a] += h;
          q[b] += h;
          const double fpp = f(q);
          q[b] = p[b] - h;
          const double fpm = f(q);
          q[a] = p[a] - h;
          const double fmm = f(q);
          q[b] = p[b] + h;
          const double fmp = f(q);
          H(a, b) = H(b, a) = (fpp - fpm - fmp + fmm) / (4 * h * h);
        }
      }
      // K maps local (gamma, tau) to the global block
      const Study& s = studies_[i];
      const int m = np - 2;
      MatrixXd K = MatrixXd::Zero(m + 1, G_);
      for (int k = 1; k <= m; ++k) {
        if (s.treat[k] != ref_) K(k - 1, pos_[s.treat[k]]) += 1.0;
        if (s.treat[0] != ref_) K(k - 1, pos_[s.treat[0]]) -= 1.0;
      }
      K(m, G_ - 1) = 1.0;
      ga[i] = g[0];
      A[i] = H(0, 0);
      B.row(i) = H.block(0, 1, 1, m + 1) * K;
      gg += K.transpose() * g.tail(m + 1);
      C += K.transpose() * H.block(1, 1, m + 1, m + 1) * K;
    }
  }

  // Newton-Raphson with Levenberg damping. `free_tau`: tau estimated, else
  // held at glob[G-1]. Returns a FitStatus (status.h).
  int maximise(VectorXd& alpha, VectorXd& glob, bool free_tau, double& val, int& iters) {
    VectorXd ga, A, gg;
    MatrixXd B, C;
    const int nfree = free_tau ? G_ : G_ - 1;
    double lambda = 0.0;
    iters = 0;
    for (int it = 0; it < opt_.max_iter; ++it) {
      iters = it + 1;
      derivs(alpha, glob, free_tau, ga, A, B, gg, C, val);
      if (!std::isfinite(val) || !ga.allFinite() || !gg.allFinite()) return FIT_NOT_FINITE;
      VectorXd sa, sg;
      bool moved = false;
      double dec = 0.0;
      for (int tries = 0; tries < 60; ++tries) {
        if (!newton_step(ga, A, B, gg, C, nfree, lambda, sa, sg)) {
          lambda = std::max(1e-6, lambda * 10.0);
          continue;
        }
        // cap the step (separation drives parameters far away)
        const double mx = std::max(sa.cwiseAbs().maxCoeff(), sg.head(nfree).cwiseAbs().maxCoeff());
        if (mx > 5.0) {
          sa *= 5.0 / mx;
          sg *= 5.0 / mx;
        }
        dec = ga.dot(sa) + gg.head(nfree).dot(sg.head(nfree));
        VectorXd an = alpha + sa, gn = glob;
        gn.head(nfree) += sg.head(nfree);
        const double vn = value(an, gn);
        if (std::isfinite(vn) && vn >= val - 1e-12 * (1.0 + std::abs(val))) {
          alpha = an;
          glob = gn;
          moved = true;
          lambda = lambda > 0 ? lambda / 10.0 : 0.0;
          if (lambda < 1e-8) lambda = 0.0;
          break;
        }
        lambda = std::max(1e-6, lambda * 10.0);
      }
      if (!moved) return dec < 1e-6 ? FIT_OK : FIT_NOT_CONVERGED;
      if (std::abs(dec) < opt_.tol) {
        derivs(alpha, glob, free_tau, ga, A, B, gg, C, val);
        return FIT_OK;
      }
    }
    return FIT_NOT_CONVERGED;
  }

  // Solve (-H + lambda I) s = g over the free parameters.
  bool newton_step(const VectorXd& ga, const VectorXd& A, const MatrixXd& B,
                   const VectorXd& gg, const MatrixXd& C, int nfree, double lambda,
                   VectorXd& sa, VectorXd& sg) const {
    VectorXd Ap = -A.array() + lambda;
    if ((Ap.array() <= 0).any()) return false;
    MatrixXd Bf = -B.leftCols(nfree);
    MatrixXd Sc = -C.topLeftCorner(nfree, nfree);
    Sc.diagonal().array() += lambda;
    VectorXd rhs = gg.head(nfree);
    for (int i = 0; i < S_; ++i) {
      Sc.noalias() -= Bf.row(i).transpose() * Bf.row(i) / Ap[i];
      rhs -= Bf.row(i).transpose() * (ga[i] / Ap[i]);
    }
    Eigen::LLT<MatrixXd> llt(Sc);
    if (llt.info() != Eigen::Success) return false;
    sg = VectorXd::Zero(G_);
    sg.head(nfree) = llt.solve(rhs);
    sa = (ga - Bf * sg.head(nfree)).cwiseQuotient(Ap);
    return sa.allFinite() && sg.allFinite();
  }

  // Covariance of d (all treatments) and SEs of alpha at the optimum.
  bool covariance(const VectorXd& alpha, const VectorXd& glob, bool with_tau,
                  MatrixXd& cov_d, VectorXd& se_alpha) {
    VectorXd ga, A, gg;
    MatrixXd B, C;
    double val;
    derivs(alpha, glob, with_tau, ga, A, B, gg, C, val);
    const int nf = with_tau ? G_ : G_ - 1;
    // full negative Hessian, block inverse via Schur complement
    VectorXd Ap = -A;
    if ((Ap.array() <= 0).any()) return false;
    MatrixXd Bf = -B.leftCols(nf);
    MatrixXd Sc = -C.topLeftCorner(nf, nf);
    for (int i = 0; i < S_; ++i) Sc.noalias() -= Bf.row(i).transpose() * Bf.row(i) / Ap[i];
    Eigen::LDLT<MatrixXd> ldlt(Sc);
    if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().array() > 0).all()) return false;
    MatrixXd Si = ldlt.solve(MatrixXd::Identity(nf, nf));
    cov_d = MatrixXd::Zero(T_, T_);
    for (int t = 0; t < T_; ++t)
      for (int u = 0; u < T_; ++u)
        if (t != ref_ && u != ref_) cov_d(t, u) = Si(pos_[t], pos_[u]);
    se_alpha.resize(S_);
    for (int i = 0; i < S_; ++i) {
      VectorXd b = Bf.row(i).transpose() / Ap[i];
      se_alpha[i] = std::sqrt(1.0 / Ap[i] + b.dot(Si * b));
    }
    return cov_d.allFinite();
  }

 private:
  const std::vector<Study>& studies_;
  int T_, ref_;
  Options opt_;
  std::vector<double> z_, w_;
  int S_ = 0, G_ = 0;
  std::vector<int> pos_;
  std::vector<StudyLik> lik_;
};

struct Result {
  int status = FIT_OK;              // FIT_NOT_FINITE when either model is
  Fit common, random;
  double lr = 0.0;                  // 2 (loglik random - loglik common)
  double tau2_lower = 0.0, tau2_upper = 0.0;
  int profile_status = PROFILE_OK;  // ProfileStatus (status.h)
};

inline VectorXd start_alpha(const std::vector<Study>& studies) {
  VectorXd a(studies.size());
  for (size_t i = 0; i < studies.size(); ++i) {
    const double e = studies[i].e[0], n = studies[i].n[0];
    a[i] = std::log((e + 0.5) / (n - e + 0.5));
  }
  return a;
}

inline Fit fill_fit(Model& mod, const VectorXd& alpha, const VectorXd& glob, int status,
                    int iters, double val, int T, int ref, bool with_tau) {
  Fit f;
  f.status = status;
  f.iterations = iters;
  f.loglik = val;
  f.alpha = alpha;
  f.tau = std::abs(glob[glob.size() - 1]);
  f.d = VectorXd::Zero(T);
  for (int t = 0; t < T; ++t) f.d[t] = mod.dval(t, glob);
  (void)ref;
  if (!mod.covariance(alpha, glob, with_tau, f.cov_d, f.se_alpha)) {
    if (f.status == FIT_OK) f.status = FIT_SINGULAR;
  }
  return f;
}

inline Result fit(const std::vector<Study>& studies, int n_treat, int ref, const Options& opt) {
  Result res;
  Model mod(studies, n_treat, ref, opt);
  const int G = mod.G();
  // common effect: tau = 0
  VectorXd alpha = start_alpha(studies), glob = VectorXd::Zero(G);
  double vc;
  int itc;
  int st = mod.maximise(alpha, glob, false, vc, itc);
  res.common = fill_fit(mod, alpha, glob, st, itc, vc, n_treat, ref, false);
  const VectorXd alpha_c = alpha, glob_c = glob;
  if (opt.tau_fixed >= 0.0) {
    // the profile log-likelihood at a given tau: (alpha, d) maximised
    VectorXd a = alpha_c, g = glob_c;
    g[G - 1] = opt.tau_fixed;
    double v;
    int it;
    const int s2 = mod.maximise(a, g, false, v, it);
    res.random = fill_fit(mod, a, g, s2, it, v, n_treat, ref, false);
    res.lr = std::max(0.0, 2.0 * (v - vc));
    return res;
  }
  // random effects, started from the best point of a coarse profile over
  // tau (the profile likelihood can have a local maximum at tau = 0 beside
  // the global one)
  VectorXd alpha_r = alpha_c, glob_r = glob_c;
  {
    VectorXd a = alpha_c, g = glob_c;
    double best = -std::numeric_limits<double>::infinity();
    for (double t : {0.1, 0.2, 0.4, 0.8, 1.6, 3.2}) {
      g[G - 1] = t;
      double v;
      int it;
      if (mod.maximise(a, g, false, v, it) == FIT_NOT_FINITE || !std::isfinite(v)) break;
      if (v > best) {
        best = v;
        alpha_r = a;
        glob_r = g;
      }
    }
    if (!std::isfinite(best)) glob_r[G - 1] = 0.5;
  }
  double vr;
  int itr;
  st = mod.maximise(alpha_r, glob_r, true, vr, itr);
  if (std::isfinite(vr) && vr < vc) {  // the boundary is the maximum
    alpha_r = alpha_c;
    glob_r = glob_c;
    vr = vc;
  }
  const double tau = std::abs(glob_r[G - 1]);
  glob_r[G - 1] = tau;
  const bool interior = tau > 1e-5;
  if (!interior) {
    // tau at the boundary: the random-effects model is the common one
    alpha_r = alpha_c;
    glob_r = glob_c;
    vr = vc;
  }
  res.random = fill_fit(mod, alpha_r, glob_r, st, itr, vr, n_treat, ref, interior);
  res.lr = std::max(0.0, 2.0 * (vr - vc));
  if (res.common.status == FIT_NOT_FINITE || res.random.status == FIT_NOT_FINITE) {
    res.status = FIT_NOT_FINITE;
  }
  if (!opt.profile || res.status != FIT_OK) return res;

  // profile-likelihood interval of tau (reported as tau^2): the roots of
  // the profile log-likelihood minus (max - crit / 2), by the Illinois
  // variant of regula falsi, each profile point warm started from the last
  const double target = vr - 0.5 * opt.crit;
  VectorXd wa = alpha_r, wg = glob_r;
  auto g = [&](double t) {
    wg[G - 1] = t;
    double val;
    int it;
    const int s2 = mod.maximise(wa, wg, false, val, it);
    return s2 == FIT_NOT_FINITE ? std::numeric_limits<double>::quiet_NaN() : val - target;
  };
  auto illinois = [&](double a, double fa, double b, double fb) {
    int side = 0;
    for (int k = 0; k < 60; ++k) {
      const double c = (a * fb - b * fa) / (fb - fa);
      const double fc = g(c);
      if (!std::isfinite(fc)) return std::numeric_limits<double>::quiet_NaN();
      if (std::abs(fc) < 1e-9 || std::abs(b - a) < 1e-9 * (1.0 + std::abs(c))) return c;
      if ((fc > 0) == (fb > 0)) {
        b = c;
        fb = fc;
        if (side == -1) fa *= 0.5;
        side = -1;
      } else {
        a = c;
        fa = fc;
        if (side == 1) fb *= 0.5;
        side = 1;
      }
    }
    return 0.5 * (a + b);
  };
  const double g_top = vr - target;  // crit / 2 > 0
  if (!interior || vc >= target) {
    res.tau2_lower = 0.0;
  } else {
    const double lo = illinois(0.0, vc - target, tau, g_top);
    res.tau2_lower = lo * lo;
  }
  wa = alpha_r;
  wg = glob_r;
  double lo = tau, flo = g_top, hi = std::max(0.1, 2.0 * tau);
  double gh = g(hi);
  int k = 0;
  while (std::isfinite(gh) && gh > 0 && k < 30) {
    lo = hi;
    flo = gh;
    hi *= 2.0;
    gh = g(hi);
    ++k;
  }
  if (!std::isfinite(gh) || gh > 0) {
    res.profile_status = PROFILE_NO_UPPER;
    res.tau2_upper = std::numeric_limits<double>::infinity();
  } else {
    const double up = illinois(lo, flo, hi, gh);
    res.tau2_upper = up * up;
    if (!std::isfinite(up)) res.profile_status = PROFILE_NO_UPPER;
  }
  return res;
}

}  // namespace glmm
}  // namespace fastnma

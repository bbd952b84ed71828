// Network meta-analysis of the odds ratio by the conditional likelihood of
// the non-central hypergeometric (NCH) distribution (Stijnen, Hamza &
// Ozdemir 2010), common-effect model.
//
// Plain C++17 + Eigen, no R.
//
// Each study s with arms k = 1..p (events x_k of n_k) enters through the
// distribution of its events conditional on their total S = sum_k x_k:
//
//   P(x_1..x_p | S) = prod_k choose(n_k, x_k) exp(x_k theta_k) / Z_s(theta),
//   Z_s(theta) = sum over {v : sum_k v_k = S, 0 <= v_k <= n_k} of
//                prod_k choose(n_k, v_k) exp(v_k theta_k),
//
// Fisher's non-central hypergeometric distribution for two arms and its
// multivariate form for more, where theta_k is the log odds of the arm's
// treatment relative to the reference (the study's baseline cancels). The
// log-likelihood sum_s log P is maximised by Newton-Raphson with step
// halving: the score is observed minus conditional expected events, the
// information the conditional covariance of the events (both exact, from
// the support summed in log space). Standard errors come from the observed
// (= expected) information at the maximum.
//
// `likelihood = BINOMIAL` replaces the NCH by its approximation for rare
// events (n_k large relative to x_k): P(x | S) multinomial with
// probabilities proportional to n_k exp(theta_k), as netmeta's
// netmetabin(method = "NCH") computes it.
//
// Arms are screened as for the Mantel-Haenszel fit (mh::screen_designs with
// the odds ratio): an arm without events (or with only events) in every
// study of its design is set aside, then designs left with one arm. A study
// whose kept arms have no events (S = 0) or only events (S = sum n_k) has a
// constant conditional likelihood: it carries no information and is
// reported as such.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "mh.h"
#include "status.h"

namespace fastnma {
namespace nch {

using Eigen::MatrixXd;
using Eigen::VectorXd;

enum Likelihood { EXACT = 0, BINOMIAL = 1 };

// What a study contributes: StudyInfo (status.h).

struct Options {
  int likelihood = EXACT;
  int ref = 0;            // preferred reference (0-based)
  int max_iter = 200;
  double tol = 1e-10;     // on the largest Newton step
  double bound = 30.0;    // |log OR| beyond this: the maximum is at infinity
};

struct Result {
  int status = OK;
  std::vector<int> arm_status;            // per input arm (ArmStatus)
  std::vector<int> study_design;          // per study: design (-1)
  std::vector<std::vector<int>> designs;  // designs (arm sets)
  std::vector<int> study_info;            // per study: StudyInfo
  std::vector<int> present;               // treatments with information
  std::vector<int> components;            // per treatment (when disconnected)
  int ref = -1;
  VectorXd theta;                         // length n_treat, theta[ref] = 0
  MatrixXd cov;                           // n_treat x n_treat
  double loglik = 0.0;
  int iterations = 0;
  bool converged = false;
  int n_obs = 0;                          // sum over used studies of (p - 1)
};

namespace detail {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

inline double log_sum_exp(const double* v, int len) {
  double mx = kNegInf;
  for (int i = 0; i < len; ++i) mx = std::max(mx, v[i]);
  if (!std::isfinite(mx)) return mx;
  double s = 0.0;
  for (int i = 0; i < len; ++i) s += std::exp(v[i] - mx);
  return mx + std::log(s);
}

// Log weights of one arm, lchoose(n, v) + v theta for v = 0..S (-inf
// outside the support).
inline std::vector<double> arm_weights(double n, double theta, int S) {
  std::vector<double> a(S + 1, kNegInf);
  const int top = static_cast<int>(std::min<double>(n, S));
  const double lgn = std::lgamma(n + 1.0);
  for (int v = 0; v <= top; ++v) {
    a[v] = lgn - std::lgamma(v + 1.0) - std::lgamma(n - v + 1.0) + v * theta;
  }
  return a;
}

// Log convolution of the arms' weights except those flagged in `skip`,
// truncated at S.
inline std::vector<double> convolve_except(const std::vector<std::vector<double>>& a,
                                           const std::vector<char>& skip, int S) {
  std::vector<double> c(S + 1, kNegInf), next(S + 1), buf(S + 1);
  c[0] = 0.0;
  for (size_t k = 0; k < a.size(); ++k) {
    if (skip[k]) continue;
    for (int s = 0; s <= S; ++s) {
      for (int t = 0; t <= s; ++t) buf[t] = c[t] + a[k][s - t];
      next[s] = log_sum_exp(buf.data(), s + 1);
    }
    c.swap(next);
  }
  return c;
}

}  // namespace detail

// Log-likelihood of one study and the conditional mean E and covariance C of
// its events (arrays of the study's p arms).
inline double study_moments(const std::vector<double>& x, const std::vector<double>& n,
                            const std::vector<double>& theta, int likelihood,
                            VectorXd& E, MatrixXd& C) {
  using detail::kNegInf;
  const int p = static_cast<int>(x.size());
  double S_d = 0.0;
  for (double v : x) S_d += v;
  const int S = static_cast<int>(std::lround(S_d));
  E = VectorXd::Zero(p);
  C = MatrixXd::Zero(p, p);
  if (likelihood == BINOMIAL) {
    std::vector<double> lw(p);
    for (int k = 0; k < p; ++k) lw[k] = std::log(n[k]) + theta[k];
    const double L = detail::log_sum_exp(lw.data(), p);
    VectorXd pi(p);
    double ll = 0.0;
    for (int k = 0; k < p; ++k) {
      pi(k) = std::exp(lw[k] - L);
      ll += x[k] * (lw[k] - L);
    }
    E = S_d * pi;
    C = S_d * (MatrixXd(pi.asDiagonal()) - pi * pi.transpose());
    return ll;
  }
  std::vector<std::vector<double>> a(p);
  for (int k = 0; k < p; ++k) a[k] = detail::arm_weights(n[k], theta[k], S);
  std::vector<char> skip(p, 0);
  double logZ = 0.0;
  std::vector<double> m(S + 1);
  for (int k = 0; k < p; ++k) {
    skip.assign(p, 0);
    skip[k] = 1;
    std::vector<double> R = detail::convolve_except(a, skip, S);
    for (int v = 0; v <= S; ++v) m[v] = a[k][v] + R[S - v];
    if (k == 0) logZ = detail::log_sum_exp(m.data(), S + 1);
    double e1 = 0.0, e2 = 0.0;
    for (int v = 0; v <= S; ++v) {
      if (m[v] == kNegInf) continue;
      const double w = std::exp(m[v] - logZ);
      e1 += w * v;
      e2 += w * v * static_cast<double>(v);
    }
    E(k) = e1;
    C(k, k) = std::max(0.0, e2 - e1 * e1);
  }
  // Covariances: among the first p - 1 arms from their joint distribution
  // (three arms: from the variances, as the events sum to S), then the last
  // arm's by the zero row sums.
  if (p == 3) {
    C(0, 1) = C(1, 0) = 0.5 * (C(2, 2) - C(0, 0) - C(1, 1));
  } else if (p > 3) {
    for (int j = 0; j < p - 1; ++j) {
      for (int k = j + 1; k < p - 1; ++k) {
        skip.assign(p, 0);
        skip[j] = skip[k] = 1;
        std::vector<double> R = detail::convolve_except(a, skip, S);
        double ejk = 0.0;
        for (int u = 0; u <= S; ++u) {
          if (a[j][u] == kNegInf) continue;
          for (int v = 0; u + v <= S; ++v) {
            const double w = a[j][u] + a[k][v] + R[S - u - v] - logZ;
            if (w > kNegInf) ejk += std::exp(w) * u * static_cast<double>(v);
          }
        }
        C(j, k) = C(k, j) = ejk - E(j) * E(k);
      }
    }
  }
  for (int j = 0; j < p - 1; ++j) {
    double row = 0.0;
    for (int k = 0; k < p - 1; ++k) row += C(j, k);
    C(j, p - 1) = C(p - 1, j) = -row;
  }
  double ll = -logZ;
  for (int k = 0; k < p; ++k) ll += a[k][static_cast<int>(std::lround(x[k]))];
  return ll;
}

// Fit. Arms are given with 0-based study and treatment indices, events and
// sizes (whole numbers).
inline Result fit(const std::vector<int>& study, const std::vector<int>& treat,
                  const std::vector<double>& events, const std::vector<double>& size,
                  int n_study, int n_treat, const Options& opt) {
  Result res;
  mh::Screen sc = mh::screen_designs(study, treat, events, size, n_study, mh::OR);
  res.arm_status = sc.arm_status;
  res.study_design = sc.study_design;
  res.designs = sc.designs;
  res.study_info.assign(n_study, STUDY_NOT_USED);

  // The studies that carry information, with their kept arms.
  struct Unit {
    std::vector<int> arms;  // input arm indices
  };
  std::vector<Unit> units;
  mh::Links links(n_treat);
  for (size_t dsg = 0; dsg < sc.designs.size(); ++dsg) {
    const std::vector<int>& keep = sc.keep[dsg];
    if (keep.size() < 2) continue;
    for (int s : sc.design_studies[dsg]) {
      Unit u;
      double S = 0.0, N = 0.0;
      for (int j : keep) {
        const int i = sc.arms_of[s][j];
        u.arms.push_back(i);
        S += events[i];
        N += size[i];
      }
      if (S <= 0.0 || S >= N) {
        res.study_info[s] = STUDY_NO_INFORMATION;
        continue;
      }
      res.study_info[s] = STUDY_USED;
      std::vector<int> treats;
      for (int i : u.arms) treats.push_back(treat[i]);
      links.link(treats);
      res.n_obs += static_cast<int>(u.arms.size()) - 1;
      units.push_back(std::move(u));
    }
  }
  res.status = links.parts(res.present, res.components);
  if (res.status != OK) return res;
  res.ref = (opt.ref >= 0 && opt.ref < n_treat && links.has_data[opt.ref]) ? opt.ref
                                                                           : res.present[0];
  std::vector<int> g(n_treat, -1);
  int q = 0;
  for (int t : res.present) if (t != res.ref) g[t] = q++;

  // Log-likelihood, score and information at theta.
  auto evaluate = [&](const VectorXd& th, VectorXd* grad, MatrixXd* info) {
    double ll = 0.0;
    if (grad) *grad = VectorXd::Zero(q);
    if (info) *info = MatrixXd::Zero(q, q);
    VectorXd E;
    MatrixXd C;
    std::vector<double> x, n, t;
    for (const Unit& u : units) {
      const int p = static_cast<int>(u.arms.size());
      x.resize(p);
      n.resize(p);
      t.resize(p);
      for (int k = 0; k < p; ++k) {
        x[k] = events[u.arms[k]];
        n[k] = size[u.arms[k]];
        t[k] = th(treat[u.arms[k]]);
      }
      ll += study_moments(x, n, t, opt.likelihood, E, C);
      for (int k = 0; k < p; ++k) {
        const int gk = g[treat[u.arms[k]]];
        if (gk < 0) continue;
        if (grad) (*grad)(gk) += x[k] - E(k);
        if (info) {
          for (int l = 0; l < p; ++l) {
            const int gl = g[treat[u.arms[l]]];
            if (gl >= 0) (*info)(gk, gl) += C(k, l);
          }
        }
      }
    }
    return ll;
  };

  VectorXd theta = VectorXd::Zero(n_treat);
  VectorXd grad;
  MatrixXd info;
  double ll = evaluate(theta, &grad, &info);
  for (int it = 1; it <= opt.max_iter; ++it) {
    res.iterations = it;
    Eigen::LLT<MatrixXd> llt(info);
    if (llt.info() != Eigen::Success || !grad.allFinite()) {
      // at the start: a singular system; later: the information vanished
      // on the way to a maximum at infinity
      if (it == 1) {
        res.status = SINGULAR;
        return res;
      }
      break;
    }
    VectorXd step = llt.solve(grad);
    VectorXd full = VectorXd::Zero(n_treat);
    for (int tr = 0; tr < n_treat; ++tr) if (g[tr] >= 0) full(tr) = step(g[tr]);
    double ll_new = ll;
    VectorXd th_new = theta;
    for (int half = 0; half < 40; ++half) {
      th_new = theta + full;
      ll_new = evaluate(th_new, nullptr, nullptr);
      if (std::isfinite(ll_new) && ll_new >= ll - 1e-12 * (1.0 + std::fabs(ll))) break;
      full *= 0.5;
    }
    theta = th_new;
    const double size_step = full.cwiseAbs().maxCoeff();
    ll = evaluate(theta, &grad, &info);
    if (theta.cwiseAbs().maxCoeff() > opt.bound) break;  // diverging
    if (size_step < opt.tol) {
      res.converged = true;
      break;
    }
  }
  res.loglik = ll;
  res.theta = theta;
  res.cov = MatrixXd::Zero(n_treat, n_treat);
  if (!res.converged) return res;  // no finite maximum: theta shows where it went
  Eigen::LLT<MatrixXd> llt(info);
  if (llt.info() != Eigen::Success) {
    res.status = SINGULAR;
    return res;
  }
  MatrixXd V = llt.solve(MatrixXd::Identity(q, q));
  for (int t = 0; t < n_treat; ++t) {
    if (g[t] < 0) continue;
    for (int u = 0; u < n_treat; ++u) {
      if (g[u] >= 0) res.cov(t, u) = V(g[t], g[u]);
    }
  }
  if (!res.theta.allFinite() || !res.cov.allFinite()) res.status = NOT_FINITE;
  return res;
}

}  // namespace nch
}  // namespace fastnma

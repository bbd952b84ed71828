// Estimators of the heterogeneity variance tau^2 of the contrast-based model.
//
// DL  generalised method of moments (Jackson, White & Riley 2012), the
//     estimator netmeta reports: (Q - df) / (tr(W R) - tr(L^-1 C'W R W C)).
// PM  Paule-Mandel: the generalised Q(tau^2) equals its degrees of freedom.
// REML, ML  maximisers of the (restricted) likelihood of the canonical
//     model: Newton's method on the score with the exact second derivative,
//     from the DL estimate, with a bracket and the boundary at 0 handled
//     (see tau2_likelihood); small networks are scanned on a grid first.
//
// The estimators are templates over the one GLS model of model.h: Model (the
// standard NMA) and DesignModel (component NMA, meta-regression) offer the
// same interface (evaluate, derivs, q_slope, loglik_ml, loglik_reml, n_coef,
// network), and estimate_tau2() is the one dispatch for all of them. The
// Newton search with its caches serves the standard model; models with a
// dense design use the grid search with Brent's root of the score
// (tau2_likelihood_grid).
#pragma once

#include <type_traits>

#include "model.h"

#include <functional>
#include <limits>
#include <string>

namespace fastnma {

// Brent's root finder on [a, b] with f(a), f(b) of opposite sign.
inline double brent_root(const std::function<double(double)>& f, double a,
                         double b, double fa, double fb, double tol,
                         int max_iter, int& iter) {
  double c = a, fc = fa, d = b - a, e = d;
  for (iter = 0; iter < max_iter; ++iter) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a; fc = fa; d = b - a; e = d;
    }
    if (std::abs(fc) < std::abs(fb)) {
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    double tol1 = 2.0 * std::numeric_limits<double>::epsilon() * std::abs(b) + 0.5 * tol;
    double xm = 0.5 * (c - b);
    if (std::abs(xm) <= tol1 || fb == 0.0) return b;
    if (std::abs(e) >= tol1 && std::abs(fa) > std::abs(fb)) {
      double s = fb / fa, p, q;
      if (a == c) {
        p = 2.0 * xm * s;
        q = 1.0 - s;
      } else {
        double qq = fa / fc, r = fb / fc;
        p = s * (2.0 * xm * qq * (qq - r) - (b - a) * (r - 1.0));
        q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
      }
      if (p > 0) q = -q; else p = -p;
      if (2.0 * p < std::min(3.0 * xm * q - std::abs(tol1 * q), std::abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += (std::abs(d) > tol1) ? d : (xm > 0 ? tol1 : -tol1);
    fb = f(b);
  }
  return b;
}

struct Tau2Estimate {
  double tau2 = 0.0;
  int iterations = 0;
  bool converged = true;
  bool boundary = false;  // optimum at tau2 = 0
  bool identifiable = true;  // false when Q has no degrees of freedom
};

inline double median_within_variance(const Network& net) {
  std::vector<double> v;
  for (const Study& st : net.studies)
    for (int j = 0; j < st.S.rows(); ++j) v.push_back(st.S(j, j));
  if (v.empty()) return 1.0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  double m = v[v.size() / 2];
  return m > 0 ? m : 1.0;
}

template <class ModelT>
inline Tau2Estimate tau2_dl(const ModelT& model, double Q0, int df) {
  Tau2Estimate out;
  if (df <= 0 || Q0 <= df) {
    out.boundary = true;
    return out;
  }
  out.tau2 = (Q0 - df) / model.q_slope(0.0);
  if (!(out.tau2 > 0)) {
    out.tau2 = 0.0;
    out.boundary = true;
  }
  return out;
}

template <class ModelT>
inline Tau2Estimate tau2_pm(const ModelT& model, double Q0, int df, double tol) {
  Tau2Estimate out;
  if (df <= 0 || Q0 <= df) {
    out.boundary = true;
    return out;
  }
  auto f = [&](double t) { return model.evaluate(t).Q - df; };
  double lo = 0.0, flo = Q0 - df;
  double hi = median_within_variance(model.network()), fhi = f(hi);
  int guard = 0;
  while (fhi > 0 && guard++ < 200) {
    lo = hi; flo = fhi;
    hi *= 4.0;
    fhi = f(hi);
  }
  if (fhi > 0) {
    out.converged = false;
    out.tau2 = hi;
    return out;
  }
  out.tau2 = brent_root(f, lo, hi, flo, fhi, tol * std::max(1.0, hi), 500, out.iterations);
  return out;
}

// Score of the (restricted) log-likelihood in tau^2:
// -1/2 [tr(P R) - r'W R W r], with tr(P R) = tr(W R) - tr(L^-1 X'W R W X)
// for REML and tr(W R) for ML.
template <class ModelT>
inline double likelihood_score(const ModelT& model, double tau2, bool reml) {
  return model.derivs(tau2, reml, false, nullptr, nullptr).score;
}

// What the estimators leave behind for the fit: the evaluations (theta, Q,
// log-determinants) and grounded inverses at tau^2 = 0 and at the estimate,
// so that the caller does not factorise again.
struct Tau2Cache {
  bool have0 = false, have1 = false;
  Evaluation ev0, ev1;
  MatrixXd G0, G1;  // grounded (n-1) x (n-1) inverses of the Laplacian
  // A model with a dense design (DL): the evaluation at 0 in ev0 and the
  // factorisation it came from, whose covariance is the fit's.
  bool have_llt0 = false;
  Eigen::LLT<MatrixXd> llt0;
};

// The likelihood scan shared by both searches: 0 and 25 geometric points
// around the typical within-study variance v, extended while the maximum is
// at the end of the grid; ll0 is the log-likelihood at 0, known to the caller.
struct LikelihoodGrid {
  std::vector<double> t, ll;
  size_t best = 0;
  bool at_end() const { return best == t.size() - 1; }
};

template <class F>
inline LikelihoodGrid scan_likelihood(const F& loglik, double v, double ll0) {
  LikelihoodGrid g;
  g.t.push_back(0.0);
  const int n_grid = 25;
  const double glo = 1e-6 * v, ghi = 1e2 * v;
  for (int i = 0; i < n_grid; ++i)
    g.t.push_back(glo * std::pow(ghi / glo, static_cast<double>(i) / (n_grid - 1)));
  g.ll.resize(g.t.size());
  g.ll[0] = ll0;
  for (size_t i = 1; i < g.t.size(); ++i) g.ll[i] = loglik(g.t[i]);
  for (size_t i = 1; i < g.ll.size(); ++i) if (g.ll[i] > g.ll[g.best]) g.best = i;
  int guard = 0;
  while (g.at_end() && guard++ < 60) {
    g.t.push_back(g.t.back() * 4.0);
    g.ll.push_back(loglik(g.t.back()));
    if (g.ll.back() > g.ll[g.best]) g.best = g.t.size() - 1;
  }
  return g;
}

// Networks up to this many treatments are also scanned on a grid of the
// likelihood before the Newton iteration (a guard against a distant second
// mode; beyond it the grid would cost more than the whole fit).
constexpr int kLikelihoodGridMaxTreat = 150;

// REML / ML: safeguarded Newton iteration on the score with the exact
// second derivative (Model::derivs), started from the generalised
// DerSimonian-Laird estimate, which the evaluation at tau^2 = 0 gives for
// free. Every iterate costs one Cholesky factorisation and one inverse; a
// bracket [lo, hi] with score(lo) > 0 > score(hi) is kept and a step that
// leaves it is replaced by bisection (or doubling while hi is unknown).
// The boundary: if the score at 0 is not positive (and, on small networks,
// no grid point beats tau^2 = 0) the estimate is 0; at the end the
// likelihood at the estimate is compared with its value at 0.
inline Tau2Estimate tau2_likelihood(const Model& model, bool reml, double tol,
                                    Tau2Cache* cache = nullptr) {
  Tau2Estimate out;
  const Network& net = model.network();
  const double v = median_within_variance(net);
  const int df = net.n_obs - (model.n() - 1);
  MatrixXd G0, G1;
  Evaluation ev0, ev1;
  Model::Derivs d0 = model.derivs(0.0, reml, true, &G0, &ev0);
  if (!d0.ok) {
    out.converged = false;
    return out;
  }
  auto keep = [&](bool at_zero) {
    if (!cache) return;
    cache->have0 = true;
    cache->ev0 = ev0;
    cache->G0 = G0;
    cache->have1 = true;
    cache->ev1 = at_zero ? ev0 : ev1;
    cache->G1 = at_zero ? G0 : G1;
  };

  double lo = 0.0, hi = std::numeric_limits<double>::infinity();
  double start = -1.0;
  bool grid_boundary = false;
  if (model.n() <= kLikelihoodGridMaxTreat) {
    // The grid of the earlier search: 0 and 25 geometric points around the
    // typical within-study variance, extended while the maximum is at its end.
    auto loglik = [&](double t) {
      Evaluation ev = model.evaluate(t);
      if (!ev.ok) return -std::numeric_limits<double>::infinity();
      return reml ? model.loglik_reml(ev) : model.loglik_ml(ev);
    };
    const LikelihoodGrid g = scan_likelihood(loglik, v, d0.loglik);
    const std::vector<double>& grid = g.t;
    const size_t best = g.best;
    if (g.at_end()) {
      out.converged = false;
      out.tau2 = grid[best];
      Model::Derivs d1 = model.derivs(out.tau2, reml, false, &G1, &ev1);
      if (d1.ok) keep(false);
      return out;
    }
    if (best == 0) {
      grid_boundary = true;
      hi = grid[1];
    } else {
      lo = grid[best - 1];
      hi = grid[best + 1];
      start = grid[best];
    }
  }
  if (d0.score <= 0.0 && (grid_boundary || model.n() > kLikelihoodGridMaxTreat)) {
    out.boundary = true;
    keep(true);
    return out;
  }
  // The DL estimate (Jackson, White & Riley 2012) from the evaluation at 0.
  double dl = 0.0;
  if (df > 0 && ev0.Q > df && d0.trWR - d0.trGM > 0)
    dl = (ev0.Q - df) / (d0.trWR - d0.trGM);
  double t = start;
  if (dl > lo && dl < hi) t = dl;
  if (!(t > 0)) {
    // A Newton step from 0, or a small multiple of the typical variance.
    t = (d0.hessian < 0) ? -d0.score / d0.hessian : 0.1 * v;
    if (!(t > lo && t < hi)) t = std::isfinite(hi) ? 0.5 * (lo + hi) : 0.1 * v;
  }
  bool done = false;
  Model::Derivs d1;
  for (out.iterations = 1; out.iterations <= 200; ++out.iterations) {
    d1 = model.derivs(t, reml, true, &G1, &ev1);
    if (!d1.ok) break;
    if (d1.score > 0) lo = t; else hi = t;
    double next;
    if (d1.hessian < 0) {
      next = t - d1.score / d1.hessian;
    } else {
      next = d1.score > 0 ? 2.0 * t : 0.5 * (lo + t);
    }
    if (!(next > lo && next < hi)) {
      next = std::isfinite(hi) ? 0.5 * (lo + hi) : std::max(2.0 * t, 4.0 * v);
    }
    const double step = std::abs(next - t);
    if (step <= tol * std::max(v, t) || d1.score == 0.0) {
      done = true;
      break;
    }
    if (std::isfinite(hi) && hi - lo <= tol * std::max(v, hi)) {
      done = true;
      break;
    }
    if (t > 1e12 * v) break;  // the likelihood increases without bound
    t = next;
  }
  if (!d1.ok) {
    out.converged = false;
    out.tau2 = t;
    return out;
  }
  out.tau2 = t;
  out.converged = done;
  if (d0.loglik >= d1.loglik) {
    out.tau2 = 0.0;
    out.boundary = true;
    keep(true);
    return out;
  }
  keep(false);
  return out;
}

// REML / ML for models without the exact second derivative: the optimum is
// located on a grid of the log-likelihood (0 and 25 geometric points around
// the typical within-study variance) and refined as the root of the score
// with Brent's method.
template <class ModelT>
inline Tau2Estimate tau2_likelihood_grid(const ModelT& model, bool reml, double tol) {
  Tau2Estimate out;
  auto loglik = [&](double t) {
    Evaluation ev = model.evaluate(t);
    if (!ev.ok) return -std::numeric_limits<double>::infinity();
    return reml ? model.loglik_reml(ev) : model.loglik_ml(ev);
  };
  auto score = [&](double t) { return likelihood_score(model, t, reml); };

  // Grid: 0 and a geometric sequence around the typical within-study variance.
  const double v = median_within_variance(model.network());
  const LikelihoodGrid g = scan_likelihood(loglik, v, loglik(0.0));
  const std::vector<double>& grid = g.t;
  const size_t best = g.best;
  if (g.at_end()) {
    out.converged = false;
    out.tau2 = grid[best];
    return out;
  }
  // Boundary: the score at zero is not positive.
  double s0 = score(0.0);
  if (best == 0 && s0 <= 0.0) {
    out.boundary = true;
    return out;
  }
  double a = best == 0 ? 0.0 : grid[best - 1];
  double b = grid[best + 1];
  double fa = a == 0.0 ? s0 : score(a), fb = score(b);
  if (fa > 0 && fb < 0) {
    out.tau2 = brent_root(score, a, b, fa, fb, tol * std::max(v, b), 500, out.iterations);
  } else {
    // Not bracketed by the score (should not happen for a smooth likelihood):
    // golden-section search on the likelihood itself.
    const double gr = 0.5 * (std::sqrt(5.0) - 1.0);
    double x1 = b - gr * (b - a), x2 = a + gr * (b - a);
    double f1 = loglik(x1), f2 = loglik(x2);
    for (out.iterations = 0; out.iterations < 300 && (b - a) > tol * std::max(v, b); ++out.iterations) {
      if (f1 < f2) { a = x1; x1 = x2; f1 = f2; x2 = a + gr * (b - a); f2 = loglik(x2); }
      else { b = x2; x2 = x1; f2 = f1; x1 = b - gr * (b - a); f1 = loglik(x1); }
    }
    out.tau2 = 0.5 * (a + b);
  }
  if (loglik(0.0) >= loglik(out.tau2)) {
    out.tau2 = 0.0;
    out.boundary = true;
  }
  return out;
}

// The one dispatch of the tau^2 estimators, used by the fit and by every
// diagnostic that re-estimates tau^2 on a reduced network. With no degrees of
// freedom for Q (a single study, a tree, a star with one study per edge) the
// data carry no information on tau^2: the likelihood is flat, and every
// estimator returns 0, flagged as not identifiable.
template <class ModelT>
inline Tau2Estimate estimate_tau2(const ModelT& model, const std::string& method,
                                  double tol, Tau2Cache* cache = nullptr) {
  constexpr bool standard = std::is_same<ModelT, Model>::value;
  const Network& net = model.network();
  const int df = net.n_obs - model.n_coef();
  if (df <= 0) {
    Tau2Estimate out;
    out.boundary = true;
    out.identifiable = false;
    return out;
  }
  if (method == "DL") {
    if (!cache) return tau2_dl(model, model.evaluate(0.0).Q, df);
    // One assembly and factorisation at 0 give Q, the expected-Q slope and
    // the common-effect fit (the numbers of evaluate() and q_slope()): the
    // standard model keeps the inverse, a dense design the factorisation
    // (its covariance is solved from it, as fit_gls() would).
    auto d0 = model.derivs(0.0, false, false, standard ? &cache->G0 : nullptr, &cache->ev0,
                           standard ? nullptr : &cache->llt0);
    Tau2Estimate out;
    if (!d0.ok) {
      // a dense design: tau^2 = 0 at the boundary, the fit reports the
      // singular system
      if (standard) out.converged = false; else out.boundary = true;
      return out;
    }
    (standard ? cache->have0 : cache->have_llt0) = true;
    const double Q0 = cache->ev0.Q;
    if (Q0 <= df) {
      out.boundary = true;
      return out;
    }
    out.tau2 = (Q0 - df) / (d0.trWR - d0.trGM);
    if (!(out.tau2 > 0)) {
      out.tau2 = 0.0;
      out.boundary = true;
    }
    return out;
  }
  if (method == "PM") return tau2_pm(model, model.evaluate(0.0).Q, df, tol);
  if (method == "REML" || method == "ML") {
    const bool reml = method == "REML";
    if constexpr (standard) {
      return tau2_likelihood(model, reml, tol, cache);
    } else {
      return tau2_likelihood_grid(model, reml, tol);
    }
  }
  Tau2Estimate bad;
  bad.converged = false;
  return bad;
}

}  // namespace fastnma

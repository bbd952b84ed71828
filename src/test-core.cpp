// Unit tests of the plain C++ core (src/core/*.h), run by testthat's Catch
// harness (tests/testthat/test-cpp.R) from the installed package.
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <vector>

#include "core/component.h"
#include "core/contrib.h"
#include "core/dose.h"
#include "core/fit.h"
#include "core/glmm.h"
#include "core/reduced.h"
#include "core/regression.h"
#include "core/ranking.h"
#include "core/tau2.h"
#include "core/twobytwo.h"

#include <testthat.h>

using namespace fastnma;

namespace {

// Rows of one study with `arms` treatments, arm means `mu` and arm variances
// `v`: every pair (a < b) as treat1 = arms[b], treat2 = arms[a], estimate
// mu_b - mu_a and variance v_a + v_b.
struct Rows {
  std::vector<int> study, t1, t2;
  std::vector<double> y, se;
  void add_study(int s, const std::vector<int>& arms, const std::vector<double>& mu,
                 const std::vector<double>& v) {
    for (size_t a = 0; a < arms.size(); ++a) {
      for (size_t b = a + 1; b < arms.size(); ++b) {
        study.push_back(s);
        t1.push_back(arms[b]);
        t2.push_back(arms[a]);
        y.push_back(mu[b] - mu[a]);
        se.push_back(std::sqrt(v[a] + v[b]));
      }
    }
  }
  BuildResult build(int n_study, int n_treat, Network& net) const {
    return build_network(study, t1, t2, y.data(), se.data(), n_study, n_treat, 1e-8, net);
  }
};

bool near(double a, double b, double tol = 1e-10) {
  return std::abs(a - b) <= tol * std::max(1.0, std::abs(b));
}

// The covariance of the basic contrasts of a study with arm variances v:
// v_0 everywhere plus v_j on the diagonal.
bool arm_covariance(const Study& st, const std::vector<double>& v) {
  const int q = static_cast<int>(st.d.size());
  if (st.S.rows() != q || st.S.cols() != q) return false;
  for (int j = 0; j < q; ++j)
    for (int l = 0; l < q; ++l)
      if (!near(st.S(j, l), v[0] + (j == l ? v[j + 1] : 0.0))) return false;
  return true;
}

// A small network with a two-arm, a three-arm and a four-arm study.
Rows mixed_rows() {
  Rows r;
  r.add_study(0, {0, 1}, {0.0, 0.4}, {0.05, 0.06});
  r.add_study(1, {1, 2}, {0.1, -0.2}, {0.08, 0.04});
  r.add_study(2, {0, 2, 3}, {0.2, 0.0, 0.9}, {0.03, 0.07, 0.05});
  r.add_study(3, {0, 1, 2, 3}, {0.0, 0.6, -0.1, 0.3}, {0.06, 0.05, 0.09, 0.04});
  r.add_study(4, {2, 3}, {0.0, 0.5}, {0.10, 0.12});
  r.add_study(5, {0, 3}, {0.0, 0.2}, {0.04, 0.05});
  return r;
}

// The shortest-path decomposition by a new breadth-first search for each
// path (out-edges visited in the order of their heads' first appearance),
// the definition the incremental ShortestPaths must reproduce exactly.
VectorXd shortest_paths_by_search(const std::vector<Edge>& edges, const VectorXd& h, int n, int src,
                                  int dst) {
  const int E = static_cast<int>(edges.size());
  VectorXd w = VectorXd::Zero(E);
  std::vector<int> from(E), to(E), vid(n, -1), parent(n);
  std::vector<double> flow(E);
  std::vector<char> alive(E, 1);
  int next = 0;
  for (int e = 0; e < E; ++e) {
    from[e] = h(e) > 0 ? edges[e].a : edges[e].b;
    to[e] = h(e) > 0 ? edges[e].b : edges[e].a;
    flow[e] = std::abs(h(e));
    if (vid[from[e]] < 0) vid[from[e]] = next++;
    if (vid[to[e]] < 0) vid[to[e]] = next++;
  }
  std::vector<std::vector<int>> out(n);
  for (int e = 0; e < E; ++e) out[from[e]].push_back(e);
  for (auto& o : out) std::stable_sort(o.begin(), o.end(), [&](int x, int y) { return vid[to[x]] < vid[to[y]]; });
  while (true) {
    std::fill(parent.begin(), parent.end(), -2);
    parent[src] = -1;
    std::deque<int> queue{src};
    while (!queue.empty() && parent[dst] == -2) {
      int u = queue.front();
      queue.pop_front();
      for (int e : out[u]) {
        if (!alive[e] || parent[to[e]] != -2) continue;
        parent[to[e]] = e;
        if (to[e] == dst) break;
        queue.push_back(to[e]);
      }
    }
    if (parent[dst] == -2) break;
    std::vector<int> path;
    for (int v = dst; v != src; v = from[parent[v]]) path.push_back(parent[v]);
    double bottleneck = flow[path[0]];
    for (int e : path) bottleneck = std::min(bottleneck, flow[e]);
    for (int e : path) {
      flow[e] -= bottleneck;
      w(e) += bottleneck / path.size();
      if (flow[e] == 0.0) alive[e] = 0;
    }
  }
  return w;
}

// A three-arm study of treatments 0, 1, 2 (0 its baseline) for the
// binomial-normal model, with `e` events of `n` per arm.
glmm::Study three_arm_study(const std::vector<double>& e, const std::vector<double>& n) {
  glmm::Study s;
  s.treat = {0, 1, 2};
  s.e = e;
  s.n = n;
  return s;
}

// The parameters of a three-arm study's likelihood: baseline log-odds
// `alpha`, the contrasts `d1`, `d2` and the heterogeneity `tau`.
Eigen::VectorXd study_par(double alpha, double d1, double d2, double tau) {
  Eigen::VectorXd p(4);
  p << alpha, d1, d2, tau;
  return p;
}

}  // namespace

context("network building") {
  test_that("four- and five-arm studies get their arm covariance back") {
    Rows r;
    const std::vector<double> v4{0.10, 0.20, 0.15, 0.25};
    const std::vector<double> v5{0.05, 0.30, 0.12, 0.08, 0.20};
    r.add_study(0, {0, 1, 2, 3}, {0.0, 0.3, -0.2, 0.5}, v4);
    r.add_study(1, {0, 1, 2, 3, 4}, {0.1, 0.2, 0.4, -0.3, 0.0}, v5);
    Network net;
    BuildResult br = r.build(2, 5, net);
    expect_true(br.code == OK);
    if (br.code != OK) return;
    expect_true(net.studies[0].d.size() == 3);
    expect_true(net.studies[1].d.size() == 4);
    expect_true(arm_covariance(net.studies[0], v4));
    expect_true(arm_covariance(net.studies[1], v5));
    expect_true(near(net.studies[0].d(2), 0.5));
    expect_true(near(net.studies[1].d(2), -0.3 - 0.1));
    expect_true(net.n_obs == 3 + 4);
    expect_true(net.designs.size() == 2);
  }

  test_that("a three-arm study is back-solved exactly") {
    Rows r;
    const std::vector<double> v{0.02, 0.07, 0.11};
    r.add_study(0, {0, 1, 2}, {0.0, 1.0, 2.5}, v);
    Network net;
    const bool built = r.build(1, 3, net).code == OK;
    expect_true(built);
    if (built) expect_true(arm_covariance(net.studies[0], v));
  }

  test_that("input problems are reported with their status") {
    Rows r;
    r.add_study(0, {0, 1, 2}, {0.0, 0.3, 0.1}, {0.1, 0.1, 0.1});
    Network net;
    Rows incomplete = r;
    incomplete.study.pop_back();
    incomplete.t1.pop_back();
    incomplete.t2.pop_back();
    incomplete.y.pop_back();
    incomplete.se.pop_back();
    BuildResult b1 = incomplete.build(1, 3, net);
    expect_true(b1.code == INCOMPLETE_MULTIARM);
    expect_true(b1.value == 3);
    Rows inconsistent = r;
    inconsistent.y[2] += 0.5;
    BuildResult b2 = inconsistent.build(1, 3, net);
    expect_true(b2.code == INCONSISTENT_ESTIMATES);
    expect_true(near(std::abs(b2.value), 0.5));
    Rows bad_se = r;
    bad_se.se[1] = 0.0;
    expect_true(bad_se.build(1, 3, net).code == BAD_SE);
    Rows bad_index = r;
    bad_index.t1[0] = 7;
    expect_true(bad_index.build(1, 3, net).code == BAD_INDEX);
    Rows self = r;
    self.t1[0] = self.t2[0];
    expect_true(self.build(1, 3, net).code == SELF_COMPARISON);
  }

  test_that("components of a disconnected network are found") {
    Rows r;
    r.add_study(0, {0, 1}, {0.0, 0.1}, {0.1, 0.1});
    r.add_study(1, {2, 3}, {0.0, 0.1}, {0.1, 0.1});
    Network net;
    expect_true(r.build(2, 4, net).code == OK);
    std::vector<int> comp = components(net);
    expect_true(comp[0] == comp[1]);
    expect_true(comp[2] == comp[3]);
    expect_true(comp[0] != comp[2]);
  }
}

context("the GLS model") {
  test_that("the Laplacian solve equals the dense GLS solve") {
    Rows r = mixed_rows();
    Network net;
    expect_true(r.build(6, 4, net).code == OK);
    for (int ref : {0, 2}) {
      for (double tau2 : {0.0, 0.07}) {
        Model model(net, ref);
        Eigen::LLT<MatrixXd> llt;
        Evaluation ev = model.evaluate(tau2, &llt);
        expect_true(ev.ok);
        MatrixXd C = model.covariance(llt);
        // Dense: X (basic contrasts x non-reference treatments), V block diagonal.
        const int n = net.n_treat;
        MatrixXd X = MatrixXd::Zero(net.n_obs, n - 1), V = MatrixXd::Zero(net.n_obs, net.n_obs);
        VectorXd d(net.n_obs);
        int row = 0;
        auto col = [&](int t) { return t == ref ? -1 : (t < ref ? t : t - 1); };
        for (const Study& st : net.studies) {
          const int q = static_cast<int>(st.d.size());
          for (int j = 0; j < q; ++j) {
            if (col(st.arms[j + 1]) >= 0) X(row + j, col(st.arms[j + 1])) += 1.0;
            if (col(st.arms[0]) >= 0) X(row + j, col(st.arms[0])) -= 1.0;
            d(row + j) = st.d(j);
            for (int l = 0; l < q; ++l)
              V(row + j, row + l) = st.S(j, l) + tau2 * (j == l ? 1.0 : 0.5);
          }
          row += q;
        }
        MatrixXd Vi = V.inverse();
        MatrixXd XtVX = X.transpose() * Vi * X;
        VectorXd beta = XtVX.ldlt().solve(X.transpose() * Vi * d);
        MatrixXd Cb = XtVX.inverse();
        VectorXd res = d - X * beta;
        expect_true(near(ev.Q, res.dot(Vi * res), 1e-9));
        for (int t = 0; t < n; ++t) {
          const double want = col(t) < 0 ? 0.0 : beta(col(t));
          expect_true(near(ev.theta(t), want, 1e-9));
          for (int u = 0; u < n; ++u) {
            const double cw = (col(t) < 0 || col(u) < 0) ? 0.0 : Cb(col(t), col(u));
            expect_true(near(C(t, u), cw, 1e-9));
          }
        }
        const double logdetV = std::log(V.determinant());
        expect_true(near(model.loglik_ml(ev),
                         -0.5 * (net.n_obs * std::log(2.0 * M_PI) + logdetV + ev.Q), 1e-9));
      }
    }
  }
}

context("one GLS model for every design") {
  test_that("the sparse products of a dense design give the numbers of Eigen's dense products") {
    // add_study(), add_rhs() and residual() loop over the non-zero columns
    // of each study's design; on random designs (1 to 6 contrasts, 1 to 30
    // columns, 1 to 5 non-zero entries a row) every entry must equal the
    // dense product's to the last bit.
    std::uint32_t seed = 12345u;
    auto next = [&seed]() {
      seed = seed * 1664525u + 1013904223u;
      return static_cast<double>(seed >> 8) / 16777216.0;
    };
    int mismatches = 0;
    for (int q = 1; q <= 6; ++q) {
      for (int p = 1; p <= 30; ++p) {
        for (int nz = 1; nz <= 5; ++nz) {
          MatrixXd X = MatrixXd::Zero(q, p);
          for (int j = 0; j < q; ++j)
            for (int t = 0; t < nz; ++t)
              X(j, static_cast<int>(next() * p) % p) = next() < 0.6 ? 1.0 : 4.0 * next() - 2.0;
          MatrixDesign design(p, std::vector<MatrixXd>{X});
          Study st;
          st.d = VectorXd(q);
          VectorXd v(q), beta(p), b0(p);
          for (int j = 0; j < q; ++j) { st.d(j) = next() - 0.5; v(j) = next() - 0.5; }
          for (int c = 0; c < p; ++c) { beta(c) = 2.0 * next() - 1.0; b0(c) = next(); }
          MatrixXd W(q, q);
          for (int j = 0; j < q; ++j)
            for (int l = 0; l < q; ++l) W(j, l) = next();
          W = W * W.transpose() + MatrixXd::Identity(q, q);
          MatrixXd L0 = MatrixXd::Constant(p, p, 0.25), L1 = L0;
          L0.noalias() += X.transpose() * (W * X);
          design.add_study(0, st, W, L1);
          VectorXd b1 = b0;
          b0.noalias() += X.transpose() * v;
          design.add_rhs(0, st, v, b1);
          VectorXd r0 = st.d - X * beta;
          VectorXd r1 = design.residual(0, st, beta);
          if (!(L0.array() == L1.array()).all() || !(b0.array() == b1.array()).all() ||
              !(r0.array() == r1.array()).all())
            ++mismatches;
        }
      }
    }
    expect_true(mismatches == 0);
  }

  test_that("a design of treatment indicators is the standard model") {
    Rows r = mixed_rows();
    Network net;
    expect_true(r.build(6, 4, net).code == OK);
    Model model(net, 1);
    // Indicators of the treatments other than the reference (treatment 1).
    MatrixXd A = MatrixXd::Zero(4, 3);
    A(0, 0) = A(2, 1) = A(3, 2) = 1.0;
    DesignModel dm(net, component_design(net, A));
    expect_true(dm.design().unidentified().empty());
    expect_true(dm.design().rank() == 3);
    for (const char* method : {"DL", "REML", "PM"}) {
      GlsFit fs = fit_gls(model, method, 1e-12, -1.0);
      GlsFit fd = fit_gls(dm, method, 1e-12, -1.0);
      expect_true(fs.status == OK);
      expect_true(fd.status == OK);
      expect_true(near(fs.tau2.tau2, fd.tau2.tau2, 1e-6));
      expect_true(near(fs.common.Q, fd.common.Q, 1e-9));
      expect_true(near(model.loglik_reml(fs.random), dm.loglik_reml(fd.random), 1e-6));
      const int map[] = {0, 2, 3};
      for (int j = 0; j < 3; ++j) {
        expect_true(near(fs.common.theta(map[j]), fd.common.theta(j), 1e-9));
        expect_true(near(fs.cov_random(map[j], map[j]), fd.cov_random(j, j), 1e-6));
      }
    }
  }

  test_that("a meta-regression on a constant covariate is not identified") {
    Rows r = mixed_rows();
    Network net;
    expect_true(r.build(6, 4, net).code == OK);
    std::vector<double> x0(6, 0.0), x1{-1.0, 0.5, 0.2, 0.8, -0.3, -0.2};
    DesignModel flat(net, regression_design(net, 0, x0, true));
    DesignModel slope(net, regression_design(net, 0, x1, true));
    expect_true(flat.design().rank() == 3);
    expect_true(slope.design().rank() == 4);
    expect_true(slope.n_coef() == 4);
    // Two components that always appear together cannot be separated.
    MatrixXd A = MatrixXd::Zero(4, 2);
    A(1, 0) = A(1, 1) = 1.0;
    A(2, 0) = A(2, 1) = 1.0;
    DesignModel together(net, component_design(net, A));
    expect_true(together.design().unidentified().size() == 2);
  }
}

context("dose-response design") {
  test_that("a full-rank dose design is the component model; aliased columns get the minimum-norm split") {
    Rows r = mixed_rows();
    Network net;
    expect_true(r.build(6, 4, net).code == OK);
    MatrixXd A = MatrixXd::Zero(4, 3);
    A(0, 0) = A(2, 1) = A(3, 2) = 1.0;
    DesignModel dm(net, component_design(net, A));
    for (const char* method : {"DL", "REML", "ML", "PM"}) {
      DoseFit f = fit_dose(net, A, method, 1e-12, -1.0);
      GlsFit g = fit_gls(dm, method, 1e-12, -1.0);
      expect_true(f.status == OK);
      expect_true(f.rank == 3);
      expect_true(f.rank_pinv == 3);
      expect_true(f.df == net.n_obs - 3);
      expect_true(near(f.tau2.tau2, g.tau2.tau2, 1e-8));
      expect_true(near(f.Q, g.common.Q, 1e-10));
      for (int j = 0; j < 3; ++j) {
        expect_true(near(f.beta_random(j), g.random.theta(j), 1e-8));
        expect_true(near(f.cov_random(j, j), g.cov_random(j, j), 1e-8));
      }
    }
    // The last column doubled: the two copies share its coefficient equally
    // (the shortest pair, columns scaled alike), their sum is the fit above,
    // and the rank (degrees of freedom) is that of the original design.
    MatrixXd A2(4, 4);
    A2 << A, A.col(2);
    DoseFit f1 = fit_dose(net, A, "DL", 1e-12, -1.0);
    DoseFit f2 = fit_dose(net, A2, "DL", 1e-12, -1.0);
    expect_true(f2.status == OK);
    expect_true(f2.rank == 3);
    expect_true(f2.rank_pinv == 3);
    expect_true(f2.df == f1.df);
    expect_true(near(f2.beta_common(2), f2.beta_common(3), 1e-10));
    expect_true(near(f2.beta_common(2) + f2.beta_common(3), f1.beta_common(2), 1e-10));
    expect_true(near(f2.tau2.tau2, f1.tau2.tau2, 1e-10));
    // A column of zeros (a parameter held fixed) gets coefficient and
    // variance zero.
    MatrixXd A3 = MatrixXd::Zero(4, 4);
    A3.leftCols(3) = A;
    DoseFit f3 = fit_dose(net, A3, "REML", 1e-12, -1.0);
    expect_true(f3.status == OK);
    expect_true(f3.rank_pinv == 3);
    expect_true(f3.beta_random(3) == 0.0);
    expect_true(f3.cov_random(3, 3) == 0.0);
    // The reduced weight of a two-arm study's only pair is 1 / (se^2 + tau^2).
    const Study& s0 = net.studies[0];
    expect_true(s0.d.size() == 1);
    VectorXd w = pair_weights(net, 0.3, {0}, {s0.arms[1]}, {s0.arms[0]});
    expect_true(near(w(0), 1.0 / (s0.S(0, 0) + 0.3), 1e-12));
  }
}

context("tau2 estimators") {
  // Six two-arm studies (one comparison): the univariate random-effects
  // model. Reference values from metafor::rma(y, v, method = ...).
  Rows r;
  const double y[] = {0.10, 0.60, -0.30, 0.85, 0.05, 0.40};
  const double v[] = {0.04, 0.09, 0.05, 0.12, 0.03, 0.08};
  for (int s = 0; s < 6; ++s) r.add_study(s, {0, 1}, {0.0, y[s]}, {v[s] / 2, v[s] / 2});
  Network net;
  r.build(6, 2, net);
  Model model(net, 0);
  auto pooled = [&](double t) {
    double sw = 0, swy = 0;
    for (int s = 0; s < 6; ++s) { sw += 1 / (v[s] + t); swy += y[s] / (v[s] + t); }
    return swy / sw;
  };

  test_that("DL is the closed-form DerSimonian-Laird estimate") {
    double sw = 0, sw2 = 0, Q = 0;
    const double mu = pooled(0.0);
    for (int s = 0; s < 6; ++s) {
      sw += 1 / v[s];
      sw2 += 1 / (v[s] * v[s]);
      Q += (y[s] - mu) * (y[s] - mu) / v[s];
    }
    const double dl = (Q - 5) / (sw - sw2 / sw);
    Tau2Estimate te = estimate_tau2(model, "DL", 1e-10);
    expect_true(near(te.tau2, dl, 1e-10));
    expect_true(near(te.tau2, 0.074755382775, 1e-9));
    Tau2Cache cache;
    Tau2Estimate tc = estimate_tau2(model, "DL", 1e-10, &cache);
    expect_true(tc.tau2 == te.tau2);
  }

  test_that("PM sets the generalised Q to its degrees of freedom") {
    Tau2Estimate te = estimate_tau2(model, "PM", 1e-12);
    expect_true(te.converged);
    expect_true(near(model.evaluate(te.tau2).Q, 5.0, 1e-8));
    expect_true(near(te.tau2, 0.095462439658, 1e-7));
  }

  test_that("REML and ML solve their estimating equations") {
    Tau2Estimate reml = estimate_tau2(model, "REML", 1e-12);
    Tau2Estimate ml = estimate_tau2(model, "ML", 1e-12);
    expect_true(reml.converged);
    expect_true(ml.converged);
    expect_true(near(reml.tau2, 0.083075132409, 1e-7));
    expect_true(near(ml.tau2, 0.052281154816, 1e-7));
    // REML fixed point: tau2 = sum w^2 ((y - mu)^2 - v) / sum w^2 + 1 / sum w.
    const double t = reml.tau2, mu = pooled(t);
    double sw = 0, sw2 = 0, num = 0;
    for (int s = 0; s < 6; ++s) {
      const double w = 1 / (v[s] + t);
      sw += w;
      sw2 += w * w;
      num += w * w * ((y[s] - mu) * (y[s] - mu) - v[s]);
    }
    expect_true(near(t, num / sw2 + 1 / sw, 1e-7));
    expect_true(ml.tau2 < reml.tau2);
  }

  test_that("no degrees of freedom: tau2 is 0 and not identifiable") {
    Rows one;
    one.add_study(0, {0, 1}, {0.0, 0.3}, {0.05, 0.05});
    Network n1;
    one.build(1, 2, n1);
    Model m1(n1, 0);
    for (const char* method : {"DL", "REML", "ML", "PM"}) {
      Tau2Estimate te = estimate_tau2(m1, method, 1e-10);
      expect_true(te.tau2 == 0.0);
      expect_false(te.identifiable);
    }
  }
}

context("2x2 tables") {
  test_that("odds ratio, risk ratio and risk difference of one table") {
    twobytwo::Options opt;
    twobytwo::Arm a1{12, 100, 0}, a2{6, 90, 0};
    opt.measure = twobytwo::OR;
    twobytwo::Effect e = twobytwo::effect(a1, a2, opt);
    expect_true(e.status == twobytwo::ESTIMABLE);
    expect_true(near(e.estimate, std::log((12.0 * 84.0) / (88.0 * 6.0))));
    expect_true(near(e.variance, 1 / 12.0 + 1 / 88.0 + 1 / 6.0 + 1 / 84.0));
    opt.measure = twobytwo::RR;
    e = twobytwo::effect(a1, a2, opt);
    expect_true(near(e.estimate, std::log((12.0 / 100.0) / (6.0 / 90.0))));
    expect_true(near(e.variance, 1 / 12.0 - 1 / 100.0 + 1 / 6.0 - 1 / 90.0));
    opt.measure = twobytwo::RD;
    e = twobytwo::effect(a1, a2, opt);
    expect_true(near(e.estimate, 0.12 - 6.0 / 90.0));
    expect_true(near(e.variance, 0.12 * 0.88 / 100 + (6.0 / 90) * (84.0 / 90) / 90));
  }

  test_that("zero cells: corrected, or reported as not estimable") {
    twobytwo::Options opt;
    opt.measure = twobytwo::OR;
    twobytwo::Effect e = twobytwo::effect({0, 50, 0}, {4, 50, 0}, opt);
    expect_true(e.status == twobytwo::ZERO_CELL_UNCORRECTED);
    expect_true(std::isnan(e.estimate));
    e = twobytwo::effect({0, 50, 0.5}, {4, 50, 0.5}, opt);
    expect_true(e.status == twobytwo::ESTIMABLE);
    expect_true(near(e.estimate, std::log((0.5 * 46.5) / (50.5 * 4.5))));
    opt.drop_no_events = true;
    e = twobytwo::effect({0, 50, 0.5}, {0, 40, 0.5}, opt);
    expect_true(e.status == twobytwo::NO_EVENTS_BOTH);
    e = twobytwo::effect({60, 50, 0}, {4, 50, 0}, opt);
    expect_true(e.status == twobytwo::INVALID_INPUT);
  }
}

context("low-rank downdates") {
  test_that("leaving a study out by a downdate equals refitting without it") {
    Rows r = mixed_rows();
    Network net;
    expect_true(r.build(6, 4, net).code == OK);
    const double tau2 = 0.04;
    Model model(net, 0);
    FixedFit f = fixed_fit(model, tau2);
    expect_true(f.ok);
    for (int drop : {0, 2, 3}) {
      std::vector<char> keep(6, 1);
      keep[drop] = 0;
      SubNetwork sub = sub_network(net, keep);
      Model m2(sub.net, 0);
      Eigen::LLT<MatrixXd> llt;
      Evaluation ev = m2.evaluate(tau2, &llt);
      expect_true(ev.ok);
      MatrixXd C2 = m2.covariance(llt);
      for (int a = 0; a < 4; ++a) {
        for (int b = a + 1; b < 4; ++b) {
          double est, var;
          expect_true(set_downdate_pair(net, f, study_set(net, {drop}), a, b, est, var));
          const int sa = sub.map[a], sb = sub.map[b];
          expect_true(near(est, ev.theta(sb) - ev.theta(sa), 1e-9));
          expect_true(near(var, C2(sa, sa) + C2(sb, sb) - 2 * C2(sa, sb), 1e-9));
        }
      }
    }
  }
}

context("random numbers") {
  test_that("the generator is xoshiro256** seeded by splitmix64") {
    Rng rng(12345);
    expect_true(rng.next() == 0xbe6a36374160d49bULL);
    expect_true(rng.next() == 0x214aaa0637a688c6ULL);
    expect_true(rng.next() == 0xf69d16de9954d388ULL);
  }

  test_that("the same seed gives the same draws, another seed others") {
    Rng a(2024), b(2024), c(2025);
    bool same = true, differ = false;
    for (int i = 0; i < 1000; ++i) {
      const double x = a.normal(), y = b.normal(), z = c.normal();
      same = same && x == y;
      differ = differ || x != z;
    }
    expect_true(same);
    expect_true(differ);
    Rng d(7);
    double m = 0, s2 = 0;
    const int n = 40000;
    for (int i = 0; i < n; ++i) {
      const double x = d.normal();
      m += x;
      s2 += x * x;
    }
    m /= n;
    expect_true(std::abs(m) < 0.03);
    expect_true(std::abs(s2 / n - m * m - 1.0) < 0.03);
  }

  test_that("rank simulations are reproducible") {
    VectorXd theta(3);
    theta << 0.0, 0.3, 0.1;
    MatrixXd C(3, 3);
    C << 0, 0, 0, 0, 0.04, 0.01, 0, 0.01, 0.05;
    int calls = 0;
    auto count = [&] { ++calls; };
    RankSimulation r1 = rank_simulation(theta, C, 0, true, 3000, 99, count);
    RankSimulation r2 = rank_simulation(theta, C, 0, true, 3000, 99, count);
    RankSimulation r3 = rank_simulation(theta, C, 0, true, 3000, 100, count);
    expect_true(r1.prob == r2.prob);
    expect_false(r1.prob == r3.prob);
    expect_true(calls == 3 * 3);
    // the callback defaults to one that does nothing
    RankSimulation r4 = rank_simulation(theta, C, 0, true, 3000, 99);
    expect_true(r4.prob == r1.prob);
    for (int i = 0; i < 3; ++i) expect_true(near(r1.prob.row(i).sum(), 1.0));
  }
}

context("contributions") {
  test_that("the incremental shortest paths are those of a new search for each path") {
    Rng rng(2026);
    ShortestPaths sp(30);
    int checked = 0;
    for (int rep = 0; rep < 300; ++rep) {
      const int n = 4 + static_cast<int>(rng.next() % 26);
      // few potential levels and weights: ties between paths, several edges
      // running dry at once, edges without flow
      std::vector<double> phi(n);
      for (int t = 0; t < n; ++t) phi[t] = static_cast<double>(rng.next() % 6);
      std::vector<Edge> edges;
      for (int a = 0; a < n; ++a) {
        for (int b = a + 1; b < n; ++b) {
          if (rng.next() % 3 == 0) continue;
          Edge e;
          e.a = a;
          e.b = b;
          e.w = 1.0 + static_cast<double>(rng.next() % 3);
          edges.push_back(e);
        }
      }
      if (edges.empty()) continue;
      VectorXd h(edges.size());
      for (size_t e = 0; e < edges.size(); ++e) h(e) = edges[e].w * (phi[edges[e].a] - phi[edges[e].b]);
      int src = static_cast<int>(rng.next() % n);
      int dst = (src + 1 + static_cast<int>(rng.next() % (n - 1))) % n;
      if (phi[src] < phi[dst]) std::swap(src, dst);  // the flow runs downhill
      VectorXd got = VectorXd::Zero(edges.size());
      sp.decompose(edges, h, src, dst, got);
      VectorXd want = shortest_paths_by_search(edges, h, n, src, dst);
      expect_true(got == want);
      if (want.sum() > 0) ++checked;
    }
    expect_true(checked > 150);
  }
}

context("binomial-normal model") {
  test_that("the Gauss-Hermite rule integrates normal moments exactly") {
    std::vector<double> z, w;
    glmm::gh_rule(7, z, w);
    // a 7-node rule is exact up to degree 13: E z^2 = 1, E z^4 = 3, E z^6 = 15
    double m0 = 0, m2 = 0, m4 = 0, m6 = 0;
    for (int k = 0; k < 7; ++k) {
      m0 += w[k];
      m2 += w[k] * z[k] * z[k];
      m4 += w[k] * std::pow(z[k], 4);
      m6 += w[k] * std::pow(z[k], 6);
    }
    const bool exact = near(m0, 1.0) && near(m2, 1.0) && near(m4, 3.0) && near(m6, 15.0);
    expect_true(exact);
    expect_true(z[3] == 0.0);
  }

  test_that("a study's likelihood at tau = 0 is the binomial likelihood, whatever the nodes") {
    const glmm::Study s = three_arm_study({3, 7, 0}, {40, 35, 30});
    const Eigen::VectorXd p = study_par(-2.0, 0.4, -0.3, 0.0);
    double direct = 0.0;
    const double eta[3] = {-2.0, -1.6, -2.3};
    for (int k = 0; k < 3; ++k) {
      direct += glmm::lchoose(s.n[k], s.e[k]) + s.e[k] * eta[k] - s.n[k] * glmm::log1pexp(eta[k]);
    }
    for (int q : {1, 5, 9}) {
      std::vector<double> z, w;
      glmm::gh_rule(q, z, w);
      glmm::StudyLik f(s, z, w);
      expect_true(near(f(p), direct));
    }
  }

  test_that("quadrature with many nodes converges, and is even in tau") {
    const glmm::Study s = three_arm_study({2, 9, 1}, {30, 30, 30});
    Eigen::VectorXd p = study_par(-2.5, 1.0, -0.5, 0.8);
    std::vector<double> z15, w15, z25, w25;
    glmm::gh_rule(15, z15, w15);
    glmm::gh_rule(25, z25, w25);
    glmm::StudyLik f15(s, z15, w15), f25(s, z25, w25);
    const double a = f15(p), b = f25(p);
    const bool converged = std::abs(a - b) < 1e-8;
    expect_true(converged);
    p[3] = -0.8;
    const bool even = std::abs(f25(p) - b) < 1e-10;
    expect_true(even);
  }
}

context("contributions on several threads") {
  test_that("rows on two or three threads equal the rows on one, dense, sparse and grouped") {
    // a random network of 25 treatments with two- and three-arm studies
    Rng rng(7);
    Rows r;
    const int n = 25, k = 70;
    for (int s = 0; s < k; ++s) {
      std::vector<int> arms;
      const int p = rng.next() % 4 == 0 ? 3 : 2;
      if (s < n - 1) arms = {s, s + 1};  // a spanning path: connected
      while (static_cast<int>(arms.size()) < p) {
        const int t = static_cast<int>(rng.next() % n);
        if (std::find(arms.begin(), arms.end(), t) == arms.end()) arms.push_back(t);
      }
      std::sort(arms.begin(), arms.end());
      std::vector<double> mu, v;
      for (size_t a = 0; a < arms.size(); ++a) {
        mu.push_back(static_cast<double>(rng.next() % 100) / 100.0);
        v.push_back(0.02 + static_cast<double>(rng.next() % 50) / 500.0);
      }
      r.add_study(s, arms, mu, v);
    }
    Network net;
    expect_true(r.build(k, n, net).code == OK);
    Model model(net, 0);
    FixedFit f = fixed_fit(model, 0.01);
    expect_true(f.ok);
    std::vector<Edge> edges = direct_edges(net, f.W);
    std::vector<int> src, dst;
    for (int a = 0; a < n; ++a) {
      for (int b = a + 1; b < n; ++b) {
        src.push_back(a);
        dst.push_back(b);
      }
    }
    MatrixXd group = MatrixXd::Zero(k, 3);
    for (int s = 0; s < k; ++s) group(s, s % 3) = 1.0;
    int calls = 0;
    auto count = [&] { ++calls; };
    for (bool randomwalk : {false, true}) {
      ContribOptions o;
      o.randomwalk = randomwalk;
      o.by_study = true;
      o.group = group;
      o.chunk_rows = 16;
      o.min_parallel_work = 0;  // threads even for this small network
      Contributions one = contributions(net, f, edges, src, dst, o, count);
      const int chunks = (static_cast<int>(src.size()) + 15) / 16;
      for (int threads : {2, 3}) {
        o.threads = threads;
        calls = 0;
        Contributions many = contributions(net, f, edges, src, dst, o, count);
        expect_true(many.weights == one.weights);
        expect_true(many.study == one.study);
        expect_true(many.group == one.group);
        expect_true(calls == chunks);  // once per chunk, from the calling thread
      }
      // the grouped sums are those of the study contributions
      MatrixXd want = one.study * group;
      expect_true((one.group - want).cwiseAbs().maxCoeff() < 1e-13);
      // compressed rows: the entries of at least the threshold, in row order
      ContribOptions sp = o;
      sp.threshold = 0.01;
      sp.threads = 1;
      Contributions s1 = contributions(net, f, edges, src, dst, sp, count);
      sp.threads = 3;
      Contributions s3 = contributions(net, f, edges, src, dst, sp, count);
      for (Contributions* c : {&s1, &s3}) {
        RowStore& st = *c->sparse_weights;
        std::vector<int> p(st.n_rows() + 1), j(st.n_entries());
        std::vector<double> x(st.n_entries());
        st.row_pointers(p.data());
        st.move_to(p.data(), j.data(), x.data());
        expect_true(st.n_entries() == 0);
        MatrixXd dense = MatrixXd::Zero(src.size(), edges.size());
        for (size_t row = 0; row + 1 < p.size(); ++row) {
          for (int q = p[row]; q < p[row + 1]; ++q) dense(row, j[q]) = x[q];
        }
        MatrixXd want_sp = one.weights;
        for (Eigen::Index q = 0; q < want_sp.size(); ++q) {
          if (want_sp.data()[q] < 0.01) want_sp.data()[q] = 0.0;
        }
        expect_true(dense == want_sp);
      }
    }
  }
}

// Mantel-Haenszel network meta-analysis (Efthimiou et al. 2019).
//
// Plain C++17 + Eigen, no R. Two steps:
//
// 1. Within each design (the set of treatments a study compares), every pair
//    of treatments (x, y) gets a Mantel-Haenszel estimate L_xy pooled over the
//    studies of the design, each study a stratum weighted by its total size
//    N_s (all arms it contributes). The variance of L_xy is the dually
//    consistent estimator of the measure (Robins, Breslow & Greenland 1986 for
//    the odds ratio, Greenland & Robins 1985 for the risk ratio, Sato,
//    Greenland & Robins 1989 for the risk difference), each written with the
//    stratum weight 1/N_s; the covariance of two estimates that share the arm
//    x (multi-arm designs) is, for the odds ratio, the estimator of Efthimiou
//    et al. (2019) and, for the risk ratio and risk difference, the
//    linearisation sum_s Cov(U_xy,s, U_xz,s) / (D_xy D_xz) with the plug-in
//    estimate e_x (n_x - e_x) / n_x of n_x p_x (1 - p_x) (as in the
//    Greenland-Robins variances), which makes the covariance of a single
//    multi-arm study that of its arm proportions.
//    The pairwise estimates are made consistent by least squares,
//    Lbar_xy = (S_x - S_y) / p with S_x = sum_z L_xz, whose basic contrasts
//    d_j = Lbar_{j,0} and their covariance follow linearly.
// 2. The designs are combined by generalised least squares; Q is the
//    weighted residual sum of squares of the design contrasts (between-design
//    inconsistency, the only heterogeneity the common-effect model can see).
//
// Before fitting, arms that make a design's estimates undefined are set
// aside (as netmeta's netmetabin() does for the odds ratio): an arm with no
// events in any study of its design (OR, RR) or with only events (OR), and
// then designs left with one arm. Designs whose pooled estimates are still
// not finite are set aside as degenerate.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "status.h"

namespace fastnma {
namespace mh {

using Eigen::MatrixXd;
using Eigen::VectorXd;

enum Measure { OR = 0, RR = 1, RD = 2 };

// What happened to an input arm: ArmStatus; the status of the fit: OK,
// DISCONNECTED, SINGULAR or EMPTY (both in status.h).

struct DesignFit {
  int original = -1;        // index into Result::designs
  std::vector<int> arms;    // treatments kept, ascending
  std::vector<int> studies;
  VectorXd d;               // basic contrasts arms[j] - arms[0], j = 1..p-1
  MatrixXd V;               // their covariance
};

struct Result {
  int status = OK;
  std::vector<int> arm_status;            // per input arm
  std::vector<int> study_design;          // per study: original design (-1)
  std::vector<std::vector<int>> designs;  // original designs (arm sets)
  std::vector<DesignFit> fits;
  std::vector<int> present;               // treatments with data, ascending
  std::vector<int> components;            // per treatment (when disconnected)
  int ref = -1;                           // reference actually used
  VectorXd theta;                         // length n_treat, theta[ref] = 0
  MatrixXd cov;                           // n_treat x n_treat
  double Q = 0.0;
  int df = 0;
  int n_obs = 0;
};

// Pairwise MH estimates of one design and the covariance of the
// least-squares consistent basic contrasts. Counts are arranged
// e[s * p + x], n[s * p + x]. Returns false if an estimate or variance is
// not finite.
inline bool design_contrasts(const std::vector<double>& e,
                             const std::vector<double>& n, int k, int p,
                             int measure, VectorXd& d, MatrixXd& V) {
  // Pairwise sums over studies.
  MatrixXd A = MatrixXd::Zero(p, p);   // OR: C_xy; RR: R_xy; RD: W_xy
  MatrixXd T = MatrixXd::Zero(p, p);   // RD: sum (e_x n_y - e_y n_x) / N
  MatrixXd A1 = MatrixXd::Zero(p, p);  // variance numerators
  MatrixXd A2 = MatrixXd::Zero(p, p);
  // Covariance numerators, indexed [x][y][z].
  const int p3 = p * p * p;
  std::vector<double> P1(p3, 0.0), P2(p3, 0.0), P3(p3, 0.0), P4(p3, 0.0);
  auto at = [p](int x, int y, int z) { return (x * p + y) * p + z; };

  for (int s = 0; s < k; ++s) {
    const double* es = &e[s * p];
    const double* ns = &n[s * p];
    double N = 0.0;
    for (int x = 0; x < p; ++x) N += ns[x];
    const double N2 = N * N;
    for (int x = 0; x < p; ++x) {
      const double ex = es[x], nx = ns[x], fx = nx - ex;
      for (int y = 0; y < p; ++y) {
        if (y == x) continue;
        const double ey = es[y], ny = ns[y], fy = ny - ey;
        if (measure == OR) {
          const double cxy = ex * fy / N, cyx = ey * fx / N;
          const double dxy = (ex + fy) / N, dyx = (ey + fx) / N;
          A(x, y) += cxy;
          A1(x, y) += cxy * dxy;
          A2(x, y) += cxy * dyx;
          (void)cyx;
        } else if (measure == RR) {
          A(x, y) += ex * ny / N;
          A1(x, y) += (nx * ny * (ex + ey) - ex * ey * (nx + ny)) / N2;
        } else {
          A(x, y) += nx * ny / N;
          T(x, y) += (ex * ny - ey * nx) / N;
          // Sato, Greenland & Robins (1989), stratum weight 1/N.
          A1(x, y) += (nx * nx * ey - ny * ny * ex + nx * ny * (ny - nx) / 2.0) / N2;
          A2(x, y) += (ex * fy + ey * fx) * (nx + ny) / (2.0 * N2);
        }
        for (int z = 0; z < p; ++z) {
          if (z == x || z == y) continue;
          const double ez = es[z], nz = ns[z], fz = nz - ez;
          if (measure == OR) {
            P1[at(x, y, z)] += ex * fy * fz / N2;
            P2[at(x, y, z)] += nx * fy * ez / N2;
            P3[at(x, y, z)] += nx * ey * fz / N2;
            P4[at(x, y, z)] += fx * ey * ez / N2;
          } else {
            P1[at(x, y, z)] += ny * nz * ex * fx / (nx * N2);
          }
        }
      }
    }
  }

  // Pairwise estimates L and variances.
  MatrixXd L = MatrixXd::Zero(p, p), Var = MatrixXd::Zero(p, p);
  for (int x = 0; x < p; ++x) {
    for (int y = 0; y < p; ++y) {
      if (x == y) continue;
      if (measure == OR) {
        const double cxy = A(x, y), cyx = A(y, x);
        L(x, y) = std::log(cxy / cyx);
        Var(x, y) = A1(x, y) / (2.0 * cxy * cxy) +
                    (A2(x, y) + A2(y, x)) / (2.0 * cxy * cyx) +
                    A1(y, x) / (2.0 * cyx * cyx);
      } else if (measure == RR) {
        L(x, y) = std::log(A(x, y) / A(y, x));
        Var(x, y) = A1(x, y) / (A(x, y) * A(y, x));
      } else {
        const double w = A(x, y);
        L(x, y) = T(x, y) / w;
        Var(x, y) = (L(x, y) * A1(x, y) + A2(x, y)) / (w * w);
      }
      if (!std::isfinite(L(x, y)) || !std::isfinite(Var(x, y)) ||
          !(Var(x, y) > 0.0)) {
        return false;
      }
    }
  }
  // G(h, u, v) = Cov(L_hu, L_hv); G(h, u, u) = Var(L_hu).
  auto G = [&](int h, int u, int v) -> double {
    if (u == v) return Var(h, u);
    if (measure == OR) {
      return P1[at(h, u, v)] / (3.0 * A(h, u) * A(h, v)) +
             P2[at(h, u, v)] / (3.0 * A(h, u) * A(v, h)) +
             P3[at(h, u, v)] / (3.0 * A(u, h) * A(h, v)) +
             P4[at(h, u, v)] / (3.0 * A(u, h) * A(v, h));
    }
    return P1[at(h, u, v)] / (A(h, u) * A(h, v));
  };
  // Cov(L_xa, L_yb) through the arm the two pairs share.
  auto cov_pairs = [&](int x, int a, int y, int b) -> double {
    int h;
    if (x == y || x == b) h = x;
    else if (a == y || a == b) h = a;
    else return 0.0;
    const double s1 = (x == h) ? 1.0 : -1.0;
    const int u = (x == h) ? a : x;
    const double s2 = (y == h) ? 1.0 : -1.0;
    const int v = (y == h) ? b : y;
    return s1 * s2 * G(h, u, v);
  };
  // S_x = sum_z L_xz and Cov(S).
  MatrixXd CS = MatrixXd::Zero(p, p);
  VectorXd S = L.rowwise().sum();
  for (int x = 0; x < p; ++x) {
    for (int y = x; y < p; ++y) {
      double c = 0.0;
      for (int a = 0; a < p; ++a) {
        if (a == x) continue;
        for (int b = 0; b < p; ++b) {
          if (b == y) continue;
          c += cov_pairs(x, a, y, b);
        }
      }
      CS(x, y) = CS(y, x) = c;
    }
  }
  // Basic contrasts d_j = (S_j - S_0) / p and their covariance.
  const double pp = static_cast<double>(p) * p;
  d.resize(p - 1);
  V.resize(p - 1, p - 1);
  for (int j = 1; j < p; ++j) {
    d(j - 1) = (S(j) - S(0)) / p;
    for (int l = 1; l < p; ++l) {
      V(j - 1, l - 1) = (CS(j, l) - CS(j, 0) - CS(0, l) + CS(0, 0)) / pp;
    }
  }
  return d.allFinite() && V.allFinite();
}

// Which treatments the kept arms link (union-find), and the parts of the
// network they form: shared by the Mantel-Haenszel and the non-central
// hypergeometric fits.
struct Links {
  std::vector<int> parent;
  std::vector<char> has_data;
  explicit Links(int n_treat) : parent(n_treat), has_data(n_treat, 0) {
    for (int t = 0; t < n_treat; ++t) parent[t] = t;
  }
  int find(int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  // the treatments of one study or design, all linked
  void link(const std::vector<int>& treats) {
    for (int t : treats) has_data[t] = 1;
    for (size_t j = 1; j < treats.size(); ++j) {
      int a = find(treats[0]), b = find(treats[j]);
      if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
  }
  // The treatments with data (ascending) and their part of the network;
  // returns the status: EMPTY (fewer than two), DISCONNECTED or OK.
  int parts(std::vector<int>& present, std::vector<int>& components) {
    const int n_treat = static_cast<int>(parent.size());
    for (int t = 0; t < n_treat; ++t) if (has_data[t]) present.push_back(t);
    if (present.size() < 2) return EMPTY;
    components.assign(n_treat, -1);
    std::vector<int> label(n_treat, -1);
    int next = 0;
    for (int t : present) {
      int r = find(t);
      if (label[r] < 0) label[r] = next++;
      components[t] = label[r];
    }
    return next > 1 ? DISCONNECTED : OK;
  }
};

// The arms a design-based analysis of the odds ratio, risk ratio or risk
// difference can use (shared by the Mantel-Haenszel and the non-central
// hypergeometric fits): arms by study (sorted by treatment), the original
// designs, and per design the positions of the arms kept. An arm with no
// events in any study of its design (OR, RR) or with only events (OR) is set
// aside, and then a design left with one arm (its arms marked
// ARM_DESIGN_ONE_ARM and `keep` left empty).
struct Screen {
  std::vector<int> arm_status;                   // per input arm
  std::vector<int> study_design;                 // per study: design (-1)
  std::vector<std::vector<int>> arms_of;         // per study: input arms
  std::vector<std::vector<int>> designs;         // arm sets (treatments)
  std::vector<std::vector<int>> design_studies;  // per design: studies
  std::vector<std::vector<int>> keep;            // per design: arm positions kept
};

inline Screen screen_designs(const std::vector<int>& study, const std::vector<int>& treat,
                             const std::vector<double>& events,
                             const std::vector<double>& size, int n_study, int measure) {
  Screen sc;
  const int m = static_cast<int>(study.size());
  sc.arm_status.assign(m, ARM_USED);
  sc.study_design.assign(n_study, -1);
  sc.arms_of.assign(n_study, {});
  for (int i = 0; i < m; ++i) sc.arms_of[study[i]].push_back(i);
  for (auto& a : sc.arms_of) {
    std::sort(a.begin(), a.end(),
              [&](int u, int v) { return treat[u] < treat[v]; });
  }
  std::map<std::vector<int>, int> design_index;
  for (int s = 0; s < n_study; ++s) {
    if (sc.arms_of[s].empty()) continue;
    if (sc.arms_of[s].size() < 2) {
      for (int i : sc.arms_of[s]) sc.arm_status[i] = ARM_STUDY_ONE_ARM;
      continue;
    }
    std::vector<int> key;
    for (int i : sc.arms_of[s]) key.push_back(treat[i]);
    auto it = design_index.find(key);
    int dsg;
    if (it == design_index.end()) {
      dsg = static_cast<int>(sc.designs.size());
      design_index.emplace(key, dsg);
      sc.designs.push_back(key);
      sc.design_studies.emplace_back();
    } else {
      dsg = it->second;
    }
    sc.study_design[s] = dsg;
    sc.design_studies[dsg].push_back(s);
  }
  sc.keep.assign(sc.designs.size(), {});
  for (size_t dsg = 0; dsg < sc.designs.size(); ++dsg) {
    const int p0 = static_cast<int>(sc.designs[dsg].size());
    const std::vector<int>& sts = sc.design_studies[dsg];
    std::vector<double> sum_e(p0, 0.0), sum_f(p0, 0.0);
    for (int s : sts) {
      for (int j = 0; j < p0; ++j) {
        int i = sc.arms_of[s][j];
        sum_e[j] += events[i];
        sum_f[j] += size[i] - events[i];
      }
    }
    std::vector<int> keep;
    for (int j = 0; j < p0; ++j) {
      int why = ARM_USED;
      if (measure != RD && sum_e[j] <= 0.0) why = ARM_NO_EVENTS_IN_DESIGN;
      else if (measure == OR && sum_f[j] <= 0.0) why = ARM_ONLY_EVENTS_IN_DESIGN;
      if (why == ARM_USED) {
        keep.push_back(j);
      } else {
        for (int s : sts) sc.arm_status[sc.arms_of[s][j]] = why;
      }
    }
    if (keep.size() < 2) {
      for (int s : sts) {
        for (int j : keep) sc.arm_status[sc.arms_of[s][j]] = ARM_DESIGN_ONE_ARM;
      }
      continue;
    }
    sc.keep[dsg] = std::move(keep);
  }
  return sc;
}

// Fit the MH network meta-analysis. Arms are given with 0-based study and
// treatment indices and their (possibly corrected) events and sizes. `ref` is
// the preferred reference (0-based; another treatment is used if it has no
// analysable data).
inline Result fit(const std::vector<int>& study, const std::vector<int>& treat,
                  const std::vector<double>& events,
                  const std::vector<double>& size, int n_study, int n_treat,
                  int ref, int measure) {
  Result res;
  Screen sc = screen_designs(study, treat, events, size, n_study, measure);
  res.arm_status = sc.arm_status;
  res.study_design = sc.study_design;
  res.designs = sc.designs;
  const std::vector<std::vector<int>>& arms_of = sc.arms_of;

  // Per design: the MH contrasts of the arms kept.
  Links links(n_treat);
  for (size_t dsg = 0; dsg < res.designs.size(); ++dsg) {
    const std::vector<int>& arms = res.designs[dsg];
    const std::vector<int>& sts = sc.design_studies[dsg];
    const std::vector<int>& keep = sc.keep[dsg];
    const int p = static_cast<int>(keep.size());
    if (p < 2) continue;
    const int k = static_cast<int>(sts.size());
    std::vector<double> e(k * p), n(k * p);
    for (int r = 0; r < k; ++r) {
      for (int j = 0; j < p; ++j) {
        int i = arms_of[sts[r]][keep[j]];
        e[r * p + j] = events[i];
        n[r * p + j] = size[i];
      }
    }
    DesignFit df;
    if (!design_contrasts(e, n, k, p, measure, df.d, df.V)) {
      for (int s : sts) {
        for (int j : keep) res.arm_status[arms_of[s][j]] = ARM_DESIGN_DEGENERATE;
      }
      continue;
    }
    df.original = static_cast<int>(dsg);
    for (int j : keep) df.arms.push_back(arms[j]);
    df.studies = sts;
    links.link(df.arms);
    res.fits.push_back(std::move(df));
  }

  // Connectivity among treatments with data.
  res.status = links.parts(res.present, res.components);
  if (res.status != OK) return res;
  res.ref = links.has_data[ref] ? ref : res.present[0];

  // Generalised least squares over designs, grounded at the reference.
  std::vector<int> g(n_treat, -1);
  int q = 0;
  for (int t : res.present) if (t != res.ref) g[t] = q++;
  MatrixXd M = MatrixXd::Zero(q, q);
  VectorXd b = VectorXd::Zero(q);
  std::vector<MatrixXd> W(res.fits.size());
  for (size_t f = 0; f < res.fits.size(); ++f) {
    const DesignFit& df = res.fits[f];
    const int p = static_cast<int>(df.arms.size());
    Eigen::LLT<MatrixXd> llt(df.V);
    if (llt.info() != Eigen::Success) {
      res.status = SINGULAR;
      return res;
    }
    W[f] = llt.solve(MatrixXd::Identity(p - 1, p - 1));
    // Local incidence K (p x (p-1)): column j is e_{j+1} - e_0.
    MatrixXd K = MatrixXd::Zero(p, p - 1);
    for (int j = 0; j < p - 1; ++j) {
      K(0, j) = -1.0;
      K(j + 1, j) = 1.0;
    }
    MatrixXd ML = K * W[f] * K.transpose();
    VectorXd bl = K * (W[f] * df.d);
    for (int u = 0; u < p; ++u) {
      int gu = g[df.arms[u]];
      if (gu < 0) continue;
      b(gu) += bl(u);
      for (int v = 0; v < p; ++v) {
        int gv = g[df.arms[v]];
        if (gv >= 0) M(gu, gv) += ML(u, v);
      }
    }
    res.n_obs += p - 1;
  }
  Eigen::LLT<MatrixXd> llt(M);
  if (llt.info() != Eigen::Success) {
    res.status = SINGULAR;
    return res;
  }
  VectorXd th = llt.solve(b);
  MatrixXd C = llt.solve(MatrixXd::Identity(q, q));
  res.theta = VectorXd::Zero(n_treat);
  res.cov = MatrixXd::Zero(n_treat, n_treat);
  for (int t = 0; t < n_treat; ++t) {
    if (g[t] < 0) continue;
    res.theta(t) = th(g[t]);
    for (int u = 0; u < n_treat; ++u) {
      if (g[u] >= 0) res.cov(t, u) = C(g[t], g[u]);
    }
  }
  // Q: weighted residuals of the design contrasts.
  for (size_t f = 0; f < res.fits.size(); ++f) {
    const DesignFit& df = res.fits[f];
    const int p = static_cast<int>(df.arms.size());
    VectorXd r(p - 1);
    for (int j = 1; j < p; ++j) {
      r(j - 1) = df.d(j - 1) - (res.theta(df.arms[j]) - res.theta(df.arms[0]));
    }
    res.Q += r.dot(W[f] * r);
  }
  res.df = res.n_obs - (static_cast<int>(res.present.size()) - 1);
  return res;
}

}  // namespace mh
}  // namespace fastnma

// Network structure for contrast-based network meta-analysis.
//
// Plain C++17 + Eigen, no R. A network is a list of studies; each study holds
// its arms (treatment indices, sorted, the first one is the study's base arm),
// its basic contrasts d (arm j minus base arm, j = 1..p-1) and their
// within-study covariance S. Multi-arm studies given as all their pairwise
// contrasts are reduced to this form by back-solving the arm variances from
// the pair variances (exact for three arms, least squares beyond), which is
// the reduced-weights construction of Rucker & Schwarzer (2014).
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "status.h"

namespace fastnma {

using Eigen::MatrixXd;
using Eigen::VectorXd;

struct Study {
  std::vector<int> arms;  // treatment indices, ascending; arms[0] is the base
  VectorXd d;             // basic contrasts arms[j] - arms[0]
  MatrixXd S;             // covariance of d
  int design = -1;        // index into Network::designs
};

struct Network {
  int n_treat = 0;
  std::vector<Study> studies;
  std::vector<std::vector<int>> designs;  // arms of each design
  int n_obs = 0;                          // sum over studies of (p - 1)
};

// Problems found while building a network. `row` is a 0-based input row
// (or -1), `study` a 0-based study index, `code` a Status (status.h): OK,
// one of SELF_COMPARISON .. BAD_SE, or BAD_INDEX.
struct BuildResult {
  int code = OK;
  int study = -1;
  int row = -1;       // offending row
  int row2 = -1;      // for duplicates: the first occurrence
  double value = 0.0; // size of the discrepancy, where relevant
  int t_a = -1, t_b = -1;  // treatments of a missing or offending pair
};

// The number of networks built by build_network() since the counter was
// last reset: how often the structure is derived from the edge list (the
// back-solve of multi-arm variances, the designs), which callers are meant
// to do once per network and then reuse.
inline long& network_builds() {
  static long count = 0;
  return count;
}

// Build the network from an edge list. Rows must carry study indices in
// 0..k-1 and treatment indices in 0..n-1. `tol` is the absolute tolerance for
// the consistency of the estimates of a multi-arm study.
inline BuildResult build_network(const std::vector<int>& study,
                                 const std::vector<int>& t1,
                                 const std::vector<int>& t2,
                                 const double* y, const double* se,
                                 int n_study, int n_treat, double tol,
                                 Network& net) {
  ++network_builds();
  BuildResult res;
  const int m = static_cast<int>(study.size());
  // Every index that crosses into the core is checked before it is used.
  if (n_study < 1 || n_treat < 2 || t1.size() != study.size() ||
      t2.size() != study.size()) {
    res.code = BAD_INDEX;
    return res;
  }
  for (int i = 0; i < m; ++i) {
    if (study[i] < 0 || study[i] >= n_study || t1[i] < 0 || t1[i] >= n_treat ||
        t2[i] < 0 || t2[i] >= n_treat) {
      res.code = BAD_INDEX;
      res.row = i;
      return res;
    }
  }
  net.n_treat = n_treat;
  net.studies.assign(n_study, Study());
  net.n_obs = 0;

  // Group rows by study (counting sort keeps the input order within a study).
  std::vector<int> start(n_study + 1, 0);
  for (int i = 0; i < m; ++i) start[study[i] + 1]++;
  for (int s = 0; s < n_study; ++s) start[s + 1] += start[s];
  std::vector<int> order(m), fill(start.begin(), start.end() - 1);
  for (int i = 0; i < m; ++i) order[fill[study[i]]++] = i;

  for (int i = 0; i < m; ++i) {
    if (!(std::isfinite(se[i]) && se[i] > 0)) {
      res.code = BAD_SE; res.row = i; res.study = study[i];
      return res;
    }
    if (t1[i] == t2[i]) {
      res.code = SELF_COMPARISON; res.row = i; res.study = study[i];
      return res;
    }
  }

  std::vector<int> local(n_treat, -1);
  for (int s = 0; s < n_study; ++s) {
    Study& st = net.studies[s];
    std::vector<int>& arms = st.arms;
    arms.clear();
    for (int r = start[s]; r < start[s + 1]; ++r) {
      int i = order[r];
      arms.push_back(t1[i]);
      arms.push_back(t2[i]);
    }
    std::sort(arms.begin(), arms.end());
    arms.erase(std::unique(arms.begin(), arms.end()), arms.end());
    const int p = static_cast<int>(arms.size());
    for (int a = 0; a < p; ++a) local[arms[a]] = a;

    // Pairwise estimate and variance matrices, with the row that gave them.
    MatrixXd Y = MatrixXd::Zero(p, p), V = MatrixXd::Zero(p, p);
    std::vector<int> seen(p * p, -1);
    for (int r = start[s]; r < start[s + 1]; ++r) {
      int i = order[r];
      int a = local[t1[i]], b = local[t2[i]];
      int lo = std::min(a, b), hi = std::max(a, b);
      if (seen[lo * p + hi] >= 0) {
        res.code = DUPLICATE_PAIR; res.study = s; res.row = i;
        res.row2 = seen[lo * p + hi];
        return res;
      }
      seen[lo * p + hi] = i;
      Y(a, b) = y[i];
      Y(b, a) = -y[i];
      V(a, b) = V(b, a) = se[i] * se[i];
    }
    const int n_rows = start[s + 1] - start[s];
    if (n_rows != p * (p - 1) / 2) {
      res.code = INCOMPLETE_MULTIARM; res.study = s;
      res.value = p;
      for (int a = 0; a < p && res.t_a < 0; ++a) {
        for (int b = a + 1; b < p; ++b) {
          if (seen[a * p + b] < 0) { res.t_a = arms[a]; res.t_b = arms[b]; break; }
        }
      }
      return res;
    }

    // Basic contrasts against the base arm.
    st.d.resize(p - 1);
    for (int j = 1; j < p; ++j) st.d(j - 1) = Y(j, 0);
    // Consistency of a multi-arm study's estimates.
    for (int j = 1; j < p; ++j) {
      for (int l = j + 1; l < p; ++l) {
        double gap = Y(j, l) - (Y(j, 0) - Y(l, 0));
        if (std::abs(gap) > tol) {
          res.code = INCONSISTENT_ESTIMATES; res.study = s;
          res.row = seen[j * p + l]; res.value = gap;
        res.t_a = arms[j]; res.t_b = arms[l];
          return res;
        }
      }
    }
    // Within-study covariance of the basic contrasts.
    if (p == 2) {
      st.S.resize(1, 1);
      st.S(0, 0) = V(0, 1);
    } else {
      // Least-squares arm variances: (A'A)^{-1} A'v with
      // A'A = (p - 2) I + J, whose inverse is (I - J / (2 (p - 1))) / (p - 2).
      VectorXd u = V.rowwise().sum();
      double U = u.sum();
      VectorXd sa = (u.array() - U / (2.0 * (p - 1))) / (p - 2.0);
      st.S = MatrixXd::Constant(p - 1, p - 1, sa(0));
      for (int j = 1; j < p; ++j) st.S(j - 1, j - 1) += sa(j);
      Eigen::LLT<MatrixXd> llt(st.S);
      if (llt.info() != Eigen::Success) {
        res.code = INCONSISTENT_VARIANCES; res.study = s;
        int worst = 0;
        for (int a = 1; a < p; ++a) if (sa(a) < sa(worst)) worst = a;
        res.value = sa(worst);
        res.t_a = arms[worst];
        return res;
      }
    }
    net.n_obs += p - 1;
    for (int a = 0; a < p; ++a) local[arms[a]] = -1;
  }

  // Designs: distinct arm sets.
  std::vector<int> idx(n_study);
  for (int s = 0; s < n_study; ++s) idx[s] = s;
  std::sort(idx.begin(), idx.end(), [&](int a, int b) {
    return net.studies[a].arms < net.studies[b].arms;
  });
  net.designs.clear();
  for (int r = 0; r < n_study; ++r) {
    int s = idx[r];
    if (r == 0 || net.studies[s].arms != net.studies[idx[r - 1]].arms) {
      net.designs.push_back(net.studies[s].arms);
    }
    net.studies[s].design = static_cast<int>(net.designs.size()) - 1;
  }
  return res;
}

// Connected components of the treatment graph (union-find). Returns the
// component index of each treatment, numbered in order of first appearance.
inline std::vector<int> components(const Network& net) {
  std::vector<int> parent(net.n_treat);
  for (int i = 0; i < net.n_treat; ++i) parent[i] = i;
  auto find = [&](int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const Study& st : net.studies) {
    for (size_t j = 1; j < st.arms.size(); ++j) {
      int a = find(st.arms[0]), b = find(st.arms[j]);
      if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
  }
  std::vector<int> comp(net.n_treat, -1), label(net.n_treat, -1);
  int next = 0;
  for (int i = 0; i < net.n_treat; ++i) {
    int r = find(i);
    if (label[r] < 0) label[r] = next++;
    comp[i] = label[r];
  }
  return comp;
}

}  // namespace fastnma

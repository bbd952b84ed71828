// Shared machinery of the evidence diagnostics: a fit at a fixed tau^2 with
// its per-study weights and full covariance, the reduced (electrical-network)
// weights of every study's pairs, direct evidence per comparison, and fits of
// sub-networks (studies excluded) for the cases a low-rank update cannot
// handle (a removal that disconnects the network or drops a treatment).
//
// Conventions: treatments are 0-based; a direct comparison (edge) joins
// a < b and its estimate is the effect of b relative to a (later vs earlier
// treatment, the orientation of netmeta's lower triangle).
#pragma once

#include "model.h"

#include <limits>
#include <numeric>

namespace fastnma {

constexpr double NA_DOUBLE = std::numeric_limits<double>::quiet_NaN();

// The fit of the model at a fixed tau^2, kept with everything the diagnostics
// reuse: per-study weights, the grounded factorisation and the full n x n
// covariance C (zero row and column at the reference), residuals.
struct FixedFit {
  double tau2 = 0.0;
  VectorXd theta;              // length n
  MatrixXd C;                  // n x n
  std::vector<MatrixXd> W;     // per study
  std::vector<VectorXd> resid; // per study
  double Q = 0.0;
  bool ok = false;
};

// `per_study = false` leaves W and resid empty (what back-calculation
// node-splitting needs is theta and C).
inline FixedFit fixed_fit(const Model& model, double tau2, bool per_study = true) {
  FixedFit f;
  f.tau2 = tau2;
  const Network& net = model.network();
  Eigen::LLT<MatrixXd> llt;
  Evaluation ev = model.evaluate(tau2, &llt);
  if (!ev.ok) return f;
  f.theta = ev.theta;
  f.C = model.covariance(llt);
  f.Q = ev.Q;
  f.ok = true;
  if (!per_study) return f;
  f.W.resize(net.studies.size());
  f.resid.resize(net.studies.size());
  double ld;
  for (size_t s = 0; s < net.studies.size(); ++s) {
    study_weight(net.studies[s], tau2, f.W[s], ld);
    f.resid[s] = model.residual(net.studies[s], f.theta);
  }
  return f;
}

// Z = U_s C: rows are C.row(arm_j) - C.row(base) (q x n).
inline MatrixXd study_Z(const Study& st, const MatrixXd& C) {
  const int q = static_cast<int>(st.d.size());
  MatrixXd Z(q, C.cols());
  for (int j = 0; j < q; ++j) Z.row(j) = C.row(st.arms[j + 1]) - C.row(st.arms[0]);
  return Z;
}

// Leverage block U_s C U_s' (q x q) from Z.
inline MatrixXd study_H(const Study& st, const MatrixXd& Z) {
  const int q = static_cast<int>(st.d.size());
  MatrixXd H(q, q);
  for (int l = 0; l < q; ++l) H.col(l) = Z.col(st.arms[l + 1]) - Z.col(st.arms[0]);
  return H;
}

// Symmetric pseudo-inverse with its rank: eigenvalues below tol * scale are
// treated as zero (scale: the size of the matrix M was computed from, so
// that a matrix that is zero up to rounding has rank 0).
inline MatrixXd pinv_sym(const MatrixXd& M, int& rank, double tol, double scale) {
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(M);
  const VectorXd& ev = es.eigenvalues();
  double top = std::max(ev.cwiseAbs().maxCoeff(), scale);
  VectorXd inv = VectorXd::Zero(ev.size());
  rank = 0;
  for (int i = 0; i < ev.size(); ++i) {
    if (ev(i) > tol * std::max(top, 1e-300)) {
      inv(i) = 1.0 / ev(i);
      ++rank;
    }
  }
  return es.eigenvectors() * inv.asDiagonal() * es.eigenvectors().transpose();
}

// One study's contribution to one direct comparison.
struct EdgeStudy {
  int study;
  double w;  // reduced weight
  double y;  // effect of b vs a in this study
};

struct Edge {
  int a, b;       // a < b
  double w = 0;   // sum of reduced weights
  double wy = 0;  // sum of w * y
  std::vector<EdgeStudy> studies;
  double est() const { return wy / w; }
  double var() const { return 1.0 / w; }
};

// Direct comparisons with their reduced weights at tau2: for each study the
// Laplacian block D'WD (D maps arms to basic contrasts); the conductance of
// a pair of arms is minus its off-diagonal entry (Rucker 2012). Edges are
// sorted by (a, b).
// Add one study's contribution (weight w, effect y of b vs a) to the edge
// a-b, creating the edge on first sight; `index` maps a * n + b to an edge.
inline void add_to_edge(std::vector<int>& index, std::vector<Edge>& edges, int n,
                        int a, int b, int study, double w, double y) {
  int& id = index[static_cast<size_t>(a) * n + b];
  if (id < 0) {
    id = static_cast<int>(edges.size());
    Edge e;
    e.a = a;
    e.b = b;
    edges.push_back(e);
  }
  Edge& e = edges[id];
  e.w += w;
  e.wy += w * y;
  e.studies.push_back({study, w, y});
}

inline std::vector<Edge> direct_edges(const Network& net, const std::vector<MatrixXd>& W) {
  const int n = net.n_treat;
  std::vector<int> index(static_cast<size_t>(n) * n, -1);
  std::vector<Edge> edges;
  for (size_t s = 0; s < net.studies.size(); ++s) {
    const Study& st = net.studies[s];
    const int p = static_cast<int>(st.arms.size());
    const MatrixXd& Ws = W[s];
    VectorXd rs = Ws.rowwise().sum();
    for (int a = 0; a < p; ++a) {
      for (int b = a + 1; b < p; ++b) {
        double w = (a == 0) ? rs(b - 1) : -Ws(a - 1, b - 1);
        double da = a == 0 ? 0.0 : st.d(a - 1);
        double y = st.d(b - 1) - da;
        int ga = st.arms[a], gb = st.arms[b];
        add_to_edge(index, edges, n, ga, gb, static_cast<int>(s), w, y);
      }
    }
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    return x.a < y.a || (x.a == y.a && x.b < y.b);
  });
  return edges;
}

// Direct comparisons pooled from the input contrasts themselves (every pair
// of a multi-arm study with its own variance plus tau2), the pairwise
// meta-analyses a reader would compute by hand and netmeta's direct
// estimates. Rows: 0-based study and treatments, y the effect of t1 vs t2.
inline std::vector<Edge> direct_rows(const std::vector<int>& study, const std::vector<int>& t1,
                                     const std::vector<int>& t2, const double* y,
                                     const double* se, int n, double tau2) {
  std::vector<int> index(static_cast<size_t>(n) * n, -1);
  std::vector<Edge> edges;
  for (size_t i = 0; i < study.size(); ++i) {
    int a = std::min(t1[i], t2[i]), b = std::max(t1[i], t2[i]);
    double yi = t1[i] == b ? y[i] : -y[i];
    double w = 1.0 / (se[i] * se[i] + tau2);
    add_to_edge(index, edges, n, a, b, study[i], w, yi);
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    return x.a < y.a || (x.a == y.a && x.b < y.b);
  });
  return edges;
}

inline std::vector<MatrixXd> study_weights(const Network& net, double tau2) {
  std::vector<MatrixXd> W(net.studies.size());
  double ld;
  for (size_t s = 0; s < net.studies.size(); ++s) study_weight(net.studies[s], tau2, W[s], ld);
  return W;
}

// Network estimate (b vs a) and its variance from a fixed fit.
inline void pair_estimate(const FixedFit& f, int a, int b, double& est, double& var) {
  est = f.theta(b) - f.theta(a);
  var = f.C(a, a) + f.C(b, b) - 2.0 * f.C(a, b);
}

// A sub-network: the studies with keep[s] true, treatments relabelled
// 0..n_sub-1 in their original order. `map[t]` is the new label of treatment
// t, or -1 if it no longer appears.
struct SubNetwork {
  Network net;
  std::vector<int> map;
  std::vector<int> back;  // new label -> old
  std::vector<int> study_index;  // new study -> old
};

inline SubNetwork sub_network(const Network& net, const std::vector<char>& keep) {
  SubNetwork sub;
  sub.map.assign(net.n_treat, -1);
  for (size_t s = 0; s < net.studies.size(); ++s) {
    if (!keep[s]) continue;
    for (int t : net.studies[s].arms) sub.map[t] = 0;
  }
  int next = 0;
  for (int t = 0; t < net.n_treat; ++t) {
    if (sub.map[t] == 0) {
      sub.map[t] = next++;
      sub.back.push_back(t);
    }
  }
  sub.net.n_treat = next;
  sub.net.n_obs = 0;
  std::vector<int> design_map(net.designs.size(), -1);
  for (size_t s = 0; s < net.studies.size(); ++s) {
    if (!keep[s]) continue;
    Study st = net.studies[s];
    for (int& t : st.arms) t = sub.map[t];
    int d = st.design;
    if (design_map[d] < 0) {
      design_map[d] = static_cast<int>(sub.net.designs.size());
      sub.net.designs.push_back(st.arms);
    }
    st.design = design_map[d];
    sub.net.n_obs += static_cast<int>(st.d.size());
    sub.net.studies.push_back(st);
    sub.study_index.push_back(static_cast<int>(s));
  }
  return sub;
}

inline bool is_connected(const Network& net) {
  if (net.n_treat == 0) return false;
  std::vector<int> comp = components(net);
  return *std::max_element(comp.begin(), comp.end()) == 0;
}

}  // namespace fastnma

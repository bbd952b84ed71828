// The design-level hat matrix of the net heat plot (Krahn, Binder and
// Koenig 2013).
//
// Plain C++17 + Eigen, no R. Each design's studies are pooled into the
// direct estimates of the design's basic contrasts (covariance
// (sum_s (S_s + tau2 (I + J) / 2)^{-1})^{-1}, the within-study covariance of
// the network plus tau^2 shared as in a multi-arm study); the consistency
// model on these design-level estimates (grounded at `ref`) has the hat
// matrix H = X (X'WX)^{-1} X'W. The net heat plot shows, for designs d
// (rows) and e (columns), the absolute entries of H summed over e's basic
// contrasts and averaged over d's; a design is part of a loop when its rows
// of H reach beyond its own columns.
#pragma once

#include <cmath>
#include <vector>

#include "network.h"

namespace fastnma {

struct DesignHat {
  MatrixXd H;                 // designs x designs
  std::vector<int> in_loop;   // 1: the design is part of a loop
};

inline bool design_hat(const Network& net, int ref, double tau2, DesignHat& out) {
  const int nd = static_cast<int>(net.designs.size());
  const int n = net.n_treat;
  std::vector<MatrixXd> Wsum(nd);
  std::vector<int> start(nd + 1, 0);
  for (int d = 0; d < nd; ++d) {
    const int q = static_cast<int>(net.designs[d].size()) - 1;
    Wsum[d] = MatrixXd::Zero(q, q);
    start[d + 1] = start[d] + q;
  }
  for (const Study& st : net.studies) {
    MatrixXd S = st.S;
    S.array() += tau2 / 2.0;
    S.diagonal().array() += tau2 / 2.0;
    Eigen::FullPivLU<MatrixXd> lu(S);
    if (!lu.isInvertible()) return false;
    Wsum[st.design] += lu.inverse();
  }
  const int m = start[nd];
  // W: block-diagonal, each block the inverse of the design's pooled covariance
  MatrixXd W = MatrixXd::Zero(m, m), X = MatrixXd::Zero(m, n);
  for (int d = 0; d < nd; ++d) {
    const std::vector<int>& arms = net.designs[d];
    const int q = static_cast<int>(arms.size()) - 1;
    Eigen::FullPivLU<MatrixXd> lu(Wsum[d]);
    if (!lu.isInvertible()) return false;
    MatrixXd Vd = lu.inverse();
    Eigen::FullPivLU<MatrixXd> lv(Vd);
    W.block(start[d], start[d], q, q) = lv.inverse();
    for (int j = 0; j < q; ++j) {
      X(start[d] + j, arms[j + 1]) = 1.0;
      X(start[d] + j, arms[0]) = -1.0;
    }
  }
  // drop the reference column
  MatrixXd Xg(m, n - 1);
  for (int t = 0, c = 0; t < n; ++t) {
    if (t == ref) continue;
    Xg.col(c++) = X.col(t);
  }
  MatrixXd XtW = Xg.transpose() * W;
  Eigen::LDLT<MatrixXd> ldlt(XtW * Xg);
  if (ldlt.info() != Eigen::Success) return false;
  MatrixXd H = Xg * ldlt.solve(XtW);
  out.H = MatrixXd::Zero(nd, nd);
  out.in_loop.assign(nd, 0);
  for (int e = 0; e < nd; ++e) {
    VectorXd s_e = H.middleCols(start[e], start[e + 1] - start[e]).cwiseAbs().rowwise().sum();
    for (int d = 0; d < nd; ++d) {
      const int q = start[d + 1] - start[d];
      out.H(d, e) = s_e.segment(start[d], q).mean();
    }
  }
  for (int d = 0; d < nd; ++d) {
    for (int i = start[d]; i < start[d + 1] && !out.in_loop[d]; ++i) {
      for (int j = 0; j < m; ++j) {
        if (j >= start[d] && j < start[d + 1]) continue;
        if (std::abs(H(i, j)) > 1e-8) { out.in_loop[d] = 1; break; }
      }
    }
  }
  return true;
}

}  // namespace fastnma

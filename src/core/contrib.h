// Contribution of each direct comparison to each network estimate.
//
// A row of the aggregate hat matrix (network estimate of i vs j as a linear
// combination of the direct estimates) is a unit flow from i to j through
// the network of direct comparisons (Konig, Krahn & Binder 2013):
//   h_e = w_e * ((C_ia - C_ib) - (C_ja - C_jb)),  e = (a, b),
// with w_e the (reduced-weight) inverse variance of the direct estimate and
// C the covariance of the network estimates. Rows are formed one at a time;
// no hat matrix over all comparisons is stored.
//
// shortestpath (Papakonstantinou et al. 2018): repeatedly take a shortest
//   (fewest edges) path of positive flow from i to j, give each of its edges
//   an equal share of the path's bottleneck flow, and subtract that flow.
//   Ties between paths of equal length are broken as in a breadth-first
//   search that visits the out-edges of a vertex in the order of their heads,
//   vertices being numbered in order of first appearance in the list of
//   direct comparisons (sorted by treatment), oriented along the flow.
// randomwalk (Davies et al. 2022): a random walk from i to j moves along an
//   edge with probability proportional to its flow; each path's probability
//   is shared equally by its edges. The sum over paths of
//   prob(path) / length(path) is computed without enumerating paths: with
//   1/L = int_0^1 x^(L-1) dx, forward and backward path generating
//   functions on the acyclic flow graph are evaluated at Gauss-Legendre
//   nodes, exact for the polynomial degrees involved.
#pragma once

#include "interrupt.h"

#include "evidence.h"

#include <Eigen/Eigenvalues>
#include <deque>

namespace fastnma {

inline void gauss_legendre01(int K, VectorXd& x, VectorXd& w) {
  MatrixXd J = MatrixXd::Zero(K, K);
  for (int i = 1; i < K; ++i) {
    double b = i / std::sqrt(4.0 * i * i - 1.0);
    J(i, i - 1) = J(i - 1, i) = b;
  }
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(J);
  x = (es.eigenvalues().array() + 1.0) / 2.0;
  w = es.eigenvectors().row(0).transpose().array().square();  // sums to 1 on [0, 1]
}

struct Contributions {
  MatrixXd weights;  // rows x n_edges
  MatrixXd study;    // rows x k (if requested)
};

// The rows to compute: flows from src[r] to dst[r] (treatment indices). Each
// row is independent of the others, so a caller asks only for the network
// estimates it reports; all n(n-1)/2 rows cost O(n^2 E^2) time and
// O(n^2 E) memory for the shortest-path decomposition.
template <class Interrupt = NoInterrupt>
Contributions contributions(const Network& net, const FixedFit& f,
                            const std::vector<Edge>& edges, bool randomwalk,
                            bool by_study, const std::vector<int>& row_src,
                            const std::vector<int>& row_dst,
                            Interrupt interrupt = Interrupt()) {
  const int n = net.n_treat;
  const int E = static_cast<int>(edges.size());
  const int n_rows = static_cast<int>(row_src.size());
  Contributions out;
  out.weights = MatrixXd::Zero(n_rows, E);
  VectorXd h(E);

  // Shortest-path state.
  std::vector<int> from(E), to(E), vid(n);
  std::vector<double> flow(E);
  std::vector<char> alive(E);
  std::vector<std::vector<int>> out_edges(n);
  std::vector<int> parent(n);
  // Random-walk state.
  const int K = n / 2 + 2;
  VectorXd gx, gw;
  if (randomwalk) gauss_legendre01(K, gx, gw);
  MatrixXd fa(n, K), fb(n, K);
  std::vector<int> order(n);
  VectorXd phi(n), outflow(n);

  for (int row = 0; row < n_rows; ++row) {
    {
      if ((row & 63) == 0) interrupt();
      // Flow from src to dst; netmeta's row "j:i" is the flow from the
      // earlier treatment j to the later i.
      const int src = row_src[row], dst = row_dst[row];
      for (int e = 0; e < E; ++e) {
        const int a = edges[e].a, b = edges[e].b;
        h(e) = edges[e].w * ((f.C(src, a) - f.C(src, b)) - (f.C(dst, a) - f.C(dst, b)));
      }
      if (!randomwalk) {
        std::fill(vid.begin(), vid.end(), -1);
        int next = 0;
        for (int e = 0; e < E; ++e) {
          int u = h(e) > 0 ? edges[e].a : edges[e].b;
          int v = h(e) > 0 ? edges[e].b : edges[e].a;
          from[e] = u;
          to[e] = v;
          flow[e] = std::abs(h(e));
          alive[e] = 1;
          if (vid[u] < 0) vid[u] = next++;
          if (vid[v] < 0) vid[v] = next++;
        }
        for (int t = 0; t < n; ++t) out_edges[t].clear();
        for (int e = 0; e < E; ++e) out_edges[from[e]].push_back(e);
        for (int t = 0; t < n; ++t) {
          std::stable_sort(out_edges[t].begin(), out_edges[t].end(),
                           [&](int x, int y) { return vid[to[x]] < vid[to[y]]; });
        }
        std::deque<int> queue;
        while (true) {
          std::fill(parent.begin(), parent.end(), -2);
          parent[src] = -1;
          queue.clear();
          queue.push_back(src);
          // Breadth-first search, stopping once the target is reached (its
          // parent edge is fixed at discovery).
          while (!queue.empty() && parent[dst] == -2) {
            int u = queue.front();
            queue.pop_front();
            for (int e : out_edges[u]) {
              if (!alive[e]) continue;
              int v = to[e];
              if (parent[v] != -2) continue;
              parent[v] = e;
              if (v == dst) break;
              queue.push_back(v);
            }
          }
          if (parent[dst] == -2) break;
          std::vector<int> path;
          for (int v = dst; v != src; v = from[parent[v]]) path.push_back(parent[v]);
          double bottleneck = flow[path[0]];
          for (int e : path) bottleneck = std::min(bottleneck, flow[e]);
          const double share = bottleneck / path.size();
          for (int e : path) {
            flow[e] -= bottleneck;
            out.weights(row, e) += share;
            if (flow[e] == 0.0) alive[e] = 0;
          }
        }
      } else {
        // Potentials along which the flow runs downhill.
        for (int t = 0; t < n; ++t) phi(t) = f.C(src, t) - f.C(dst, t);
        for (int t = 0; t < n; ++t) order[t] = t;
        std::sort(order.begin(), order.end(), [&](int x, int y) { return phi(x) > phi(y); });
        outflow.setZero();
        for (int t = 0; t < n; ++t) out_edges[t].clear();
        for (int e = 0; e < E; ++e) {
          if (h(e) == 0.0) continue;
          from[e] = h(e) > 0 ? edges[e].a : edges[e].b;
          to[e] = h(e) > 0 ? edges[e].b : edges[e].a;
          flow[e] = std::abs(h(e));
          outflow(from[e]) += flow[e];
          out_edges[from[e]].push_back(e);
        }
        // Transition probabilities; the target absorbs.
        for (int e = 0; e < E; ++e) {
          if (h(e) == 0.0) continue;
          double p = from[e] == dst ? 0.0 : flow[e] / outflow(from[e]);
          if (p < 1000 * std::numeric_limits<double>::epsilon()) p = 0.0;
          flow[e] = p;
        }
        fa.setZero();
        fb.setZero();
        fa.row(src).setOnes();
        for (int r = 0; r < n; ++r) {
          int u = order[r];
          if (u == dst) continue;
          for (int e : out_edges[u]) {
            if (flow[e] > 0) fa.row(to[e]) += flow[e] * fa.row(u).cwiseProduct(gx.transpose());
          }
        }
        fb.row(dst).setOnes();
        for (int r = n - 1; r >= 0; --r) {
          int u = order[r];
          if (u == dst) continue;
          for (int e : out_edges[u]) {
            if (flow[e] > 0) fb.row(u) += flow[e] * fb.row(to[e]).cwiseProduct(gx.transpose());
          }
        }
        for (int e = 0; e < E; ++e) {
          if (h(e) == 0.0 || flow[e] <= 0) continue;
          double s = 0.0;
          for (int q = 0; q < K; ++q) s += gw(q) * fa(from[e], q) * fb(to[e], q);
          out.weights(row, e) = flow[e] * s;
        }
      }
    }
  }
  for (int r = 0; r < out.weights.rows(); ++r)
    for (int e = 0; e < E; ++e)
      if (std::abs(out.weights(r, e)) < 10 * std::numeric_limits<double>::epsilon()) out.weights(r, e) = 0.0;
  if (by_study) {
    out.study = MatrixXd::Zero(n_rows, net.studies.size());
    for (int e = 0; e < E; ++e) {
      for (const EdgeStudy& es : edges[e].studies) {
        out.study.col(es.study) += out.weights.col(e) * (es.w / edges[e].w);
      }
    }
  }
  return out;
}

}  // namespace fastnma

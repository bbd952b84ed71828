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
#include <algorithm>
#include <functional>
#include <limits>
#include <utility>

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

// The shortest-path decomposition of one flow. The path the breadth-first
// search of Papakonstantinou et al. takes (out-edges visited in the order of
// their heads' numbers) is the lexicographically smallest, in those numbers,
// of the shortest paths from src to dst: a vertex is discovered from its
// earliest-queued predecessor, and the queue of a level is ordered as the
// paths that reach it. That path is walked greedily from src, taking at each
// vertex the first live out-edge whose head is one step nearer to dst. The
// distances to dst only grow as edges die; they are repaired after each path
// for the vertices that lost their last shortest route (Ramalingam & Reps),
// so a row costs about O(E) per path less than a new search.
class ShortestPaths {
  struct Arc {
    int v;  // the other end
    int e;
  };

 public:
  explicit ShortestPaths(int n)
      : n_(n), vid_(n), dist_(n), support_(n), state_(n), out_(n), in_(n) {}

  // Decomposes the flow h over `edges` from src to dst, adding each edge's
  // share to `weights` (one entry per edge).
  void decompose(const std::vector<Edge>& edges, const VectorXd& h, int src, int dst, VectorXd& weights) {
    const int E = static_cast<int>(edges.size());
    from_.resize(E);
    to_.resize(E);
    flow_.resize(E);
    std::fill(vid_.begin(), vid_.end(), -1);
    int next = 0;
    for (int e = 0; e < E; ++e) {
      const int u = h(e) > 0 ? edges[e].a : edges[e].b;
      const int v = h(e) > 0 ? edges[e].b : edges[e].a;
      from_[e] = u;
      to_[e] = v;
      flow_[e] = std::abs(h(e));
      if (vid_[u] < 0) vid_[u] = next++;
      if (vid_[v] < 0) vid_[v] = next++;
    }
    for (int t = 0; t < n_; ++t) {
      out_[t].clear();
      in_[t].clear();
    }
    for (int e = 0; e < E; ++e) {
      out_[from_[e]].push_back({to_[e], e});
      in_[to_[e]].push_back({from_[e], e});
    }
    for (int t = 0; t < n_; ++t) {
      std::sort(out_[t].begin(), out_[t].end(),
                [&](const Arc& x, const Arc& y) { return vid_[x.v] < vid_[y.v]; });
    }
    distances_to(dst);
    for (int t = 0; t < n_; ++t) count_support(t);
    std::vector<int>& path = path_;
    std::vector<int>& killed = killed_;
    path.clear();
    int last = 0;  // the distance of src when the previous path was taken
    while (dist_[src] < kInf) {
      // The previous path's choices stand up to its first dead edge or
      // vertex that moved away from dst (distances only grow, so no earlier
      // out-edge has become a step nearer).
      size_t keep = 0;
      if (dist_[src] == last) {
        while (keep < path.size() && flow_[path[keep]] != 0.0 &&
               dist_[to_[path[keep]]] == last - 1 - static_cast<int>(keep)) {
          ++keep;
        }
      }
      path.resize(keep);
      last = dist_[src];
      for (int u = keep ? to_[path[keep - 1]] : src; u != dst;) {
        const int want = dist_[u] - 1;
        int step = -1;
        for (const Arc& a : out_[u]) {
          if (dist_[a.v] == want) {
            step = a.e;
            break;
          }
        }
        if (step < 0) return;  // not reached: the distances are kept exact
        path.push_back(step);
        u = to_[step];
      }
      double bottleneck = flow_[path[0]];
      for (int e : path) bottleneck = std::min(bottleneck, flow_[e]);
      const double share = bottleneck / path.size();
      killed.clear();
      for (int e : path) {
        flow_[e] -= bottleneck;
        weights(e) += share;
        if (flow_[e] == 0.0) {
          killed.push_back(e);
        }
      }
      for (int e : killed) {
        drop(out_[from_[e]], e, true);
        drop(in_[to_[e]], e, false);
      }
      repair(killed, dst);
    }
  }

 private:
  static constexpr int kInf = std::numeric_limits<int>::max() / 2;
  using Item = std::pair<int, int>;  // (distance, vertex), smallest first

  void push(int d, int u) {
    heap_.emplace_back(d, u);
    std::push_heap(heap_.begin(), heap_.end(), std::greater<Item>());
  }
  Item pop() {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<Item>());
    Item it = heap_.back();
    heap_.pop_back();
    return it;
  }

  // Removes a dead edge from an adjacency list (keeping the order of the
  // out-edges, which breaks ties between paths).
  static void drop(std::vector<Arc>& list, int e, bool keep_order) {
    auto it = std::find_if(list.begin(), list.end(), [e](const Arc& a) { return a.e == e; });
    if (it == list.end()) return;
    if (keep_order) {
      list.erase(it);
    } else {
      *it = list.back();
      list.pop_back();
    }
  }

  void distances_to(int dst) {
    std::fill(dist_.begin(), dist_.end(), kInf);
    std::fill(state_.begin(), state_.end(), 0);
    dist_[dst] = 0;
    queue_.clear();
    queue_.push_back(dst);
    for (size_t q = 0; q < queue_.size(); ++q) {
      const int v = queue_[q];
      for (const Arc& a : in_[v]) {
        const int u = a.v;
        if (dist_[u] == kInf) {
          dist_[u] = dist_[v] + 1;
          queue_.push_back(u);
        }
      }
    }
  }

  // After the edges `killed` died: the vertices left without a live
  // out-edge to a vertex one step nearer (each vertex counts those
  // supporters) lose their distance, and those they supported in turn when
  // they were the last; the distances of these vertices are found again by a
  // Dijkstra search seeded from their unaffected out-neighbours.
  void repair(const std::vector<int>& killed, int dst) {
    affected_.clear();
    for (int e : killed) {
      const int u = from_[e];
      if (dist_[u] < kInf && dist_[to_[e]] == dist_[u] - 1 && --support_[u] == 0 && u != dst &&
          state_[u] == 0) {
        state_[u] = 2;  // affected
        affected_.push_back(u);
      }
    }
    if (affected_.empty()) return;
    for (size_t q = 0; q < affected_.size(); ++q) {
      const int u = affected_[q];
      for (const Arc& a : in_[u]) {
        const int p = a.v;
        if (dist_[p] == dist_[u] + 1 && --support_[p] == 0 && state_[p] == 0) {
          state_[p] = 2;
          affected_.push_back(p);
        }
      }
    }
    heap_.clear();
    for (int u : affected_) {
      int d = kInf;
      for (const Arc& a : out_[u]) {
        if (state_[a.v] != 2 && dist_[a.v] < kInf) d = std::min(d, dist_[a.v] + 1);
      }
      dist_[u] = d;
      if (d < kInf) push(d, u);
    }
    while (!heap_.empty()) {
      const Item it = pop();
      const int u = it.second;
      if (state_[u] != 2 || it.first != dist_[u]) continue;
      state_[u] = 3;  // affected, final
      for (const Arc& a : in_[u]) {
        const int p = a.v;
        if (state_[p] == 2 && dist_[u] + 1 < dist_[p]) {
          dist_[p] = dist_[u] + 1;
          push(dist_[p], p);
        }
      }
    }
    // the supporters: an affected vertex may now support unaffected ones,
    // and counts its own again
    for (int u : affected_) {
      if (dist_[u] >= kInf) continue;
      for (const Arc& a : in_[u]) {
        if (state_[a.v] == 0 && dist_[a.v] == dist_[u] + 1) ++support_[a.v];
      }
    }
    for (int u : affected_) count_support(u);
    for (int u : affected_) state_[u] = 0;
  }

  void count_support(int u) {
    int s = 0;
    if (dist_[u] < kInf) {
      for (const Arc& a : out_[u]) s += dist_[a.v] == dist_[u] - 1;
    }
    support_[u] = s;
  }

  int n_;
  std::vector<int> vid_, dist_, support_, from_, to_, path_, killed_, queue_, affected_;
  std::vector<char> state_;
  std::vector<double> flow_;
  std::vector<Item> heap_;
  std::vector<std::vector<Arc>> out_, in_;  // live edges: heads, tails
};

struct Contributions {
  MatrixXd weights;  // rows x n_edges (dense: threshold 0)
  MatrixXd study;    // rows x k (if requested)
  // threshold > 0: the entries of at least `threshold`, row by row
  // (compressed rows: row r holds the entries p[r] to p[r + 1] - 1, at
  // columns j), the columns in the order of `col_rank`
  std::vector<int> p, j, study_p, study_j;
  std::vector<double> x, study_x;
};

// Appends the entries of v (in the order `cols`) of at least `threshold`
// as one compressed row.
inline void append_row(const VectorXd& v, const std::vector<int>& cols, double threshold,
                       std::vector<int>& p, std::vector<int>& j, std::vector<double>& x) {
  for (int c = 0; c < static_cast<int>(cols.size()); ++c) {
    const double value = v(cols[c]);
    if (value != 0.0 && value >= threshold) {
      j.push_back(c);
      x.push_back(value);
    }
  }
  p.push_back(static_cast<int>(j.size()));
}

// The rows to compute: flows from src[r] to dst[r] (treatment indices). Each
// row is independent of the others, so a caller asks only for the network
// estimates it reports. A shortest-path row costs about O(E) per path of its
// flow (at most E paths). With threshold > 0 the rows are kept sparse (the
// entries below the threshold dropped) and `col_rank` gives each edge's
// position among the columns (identity if empty).
template <class Interrupt = NoInterrupt>
Contributions contributions(const Network& net, const FixedFit& f,
                            const std::vector<Edge>& edges, bool randomwalk,
                            bool by_study, const std::vector<int>& row_src,
                            const std::vector<int>& row_dst,
                            Interrupt interrupt = Interrupt(), double threshold = 0.0,
                            std::vector<int> col_rank = {}) {
  const int n = net.n_treat;
  const int E = static_cast<int>(edges.size());
  const int k = static_cast<int>(net.studies.size());
  const int n_rows = static_cast<int>(row_src.size());
  const bool sparse = threshold > 0;
  Contributions out;
  std::vector<int> cols(E), study_cols(k);
  if (sparse) {
    if (col_rank.empty()) {
      for (int e = 0; e < E; ++e) cols[e] = e;
    } else {
      for (int e = 0; e < E; ++e) cols[col_rank[e]] = e;
    }
    for (int s = 0; s < k; ++s) study_cols[s] = s;
    out.p.push_back(0);
    out.study_p.push_back(0);
  } else {
    out.weights = MatrixXd::Zero(n_rows, E);
  }
  VectorXd h(E);

  ShortestPaths sp(n);
  VectorXd share(E), study_share(k);
  // Random-walk state.
  std::vector<int> from(E), to(E);
  std::vector<double> flow(E);
  std::vector<std::vector<int>> out_edges(n);
  const int K = n / 2 + 2;
  VectorXd gx, gw;
  if (randomwalk) gauss_legendre01(K, gx, gw);
  MatrixXd fa(n, K), fb(n, K);
  std::vector<int> order(n);
  VectorXd phi(n), outflow(n);

  for (int row = 0; row < n_rows; ++row) {
    if ((row & 63) == 0) interrupt();
    // Flow from src to dst; netmeta's row "j:i" is the flow from the
    // earlier treatment j to the later i.
    const int src = row_src[row], dst = row_dst[row];
    for (int e = 0; e < E; ++e) {
      const int a = edges[e].a, b = edges[e].b;
      h(e) = edges[e].w * ((f.C(src, a) - f.C(src, b)) - (f.C(dst, a) - f.C(dst, b)));
    }
    share.setZero();
    if (!randomwalk) {
      sp.decompose(edges, h, src, dst, share);
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
        share(e) = flow[e] * s;
      }
    }
    for (int e = 0; e < E; ++e) {
      if (std::abs(share(e)) < 10 * std::numeric_limits<double>::epsilon()) share(e) = 0.0;
    }
    if (!sparse) {
      out.weights.row(row) = share.transpose();
      continue;
    }
    append_row(share, cols, threshold, out.p, out.j, out.x);
    if (by_study) {
      // the same sums, in the same order, as the dense study matrix below
      study_share.setZero();
      for (int e = 0; e < E; ++e) {
        for (const EdgeStudy& es : edges[e].studies) {
          study_share(es.study) += share(e) * (es.w / edges[e].w);
        }
      }
      append_row(study_share, study_cols, threshold, out.study_p, out.study_j, out.study_x);
    }
  }
  if (by_study && !sparse) {
    out.study = MatrixXd::Zero(n_rows, k);
    for (int e = 0; e < E; ++e) {
      for (const EdgeStudy& es : edges[e].studies) {
        out.study.col(es.study) += out.weights.col(e) * (es.w / edges[e].w);
      }
    }
  }
  return out;
}

}  // namespace fastnma

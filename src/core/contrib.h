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
#include "rowstore.h"
#include "threads.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
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

// What to compute and keep (see contributions()).
struct ContribOptions {
  bool randomwalk = false;
  bool by_study = false;      // the study contributions too
  bool keep_weights = true;   // the contributions of the direct comparisons
  double threshold = 0.0;     // above 0: entries of at least it, compressed rows
  std::vector<int> col_rank;  // compressed rows: each edge's column (identity if empty)
  MatrixXd group;             // studies x groups: each study's share in each group (0 columns: none)
  int threads = 1;
  int chunk_rows = 64;        // rows per unit of work (and per interrupt() call)
  double min_parallel_work = 2e5;  // rows x edges below which one thread works
  // dense results written to the caller's storage (rows x columns, column
  // major, every entry written) instead of `weights` and `study`
  double* weights_out = nullptr;
  double* study_out = nullptr;
};

struct Contributions {
  MatrixXd weights;  // rows x n_edges (dense: threshold 0, keep_weights)
  MatrixXd study;    // rows x k (dense, if requested)
  MatrixXd group;    // rows x groups (if requested; always dense)
  // threshold > 0: the entries of at least `threshold`, row by row, the
  // columns in the order of `col_rank`; null when not computed
  std::unique_ptr<RowStore> sparse_weights, sparse_study;
};

// The decomposition of one row at a time; one per thread (its scratch state).
class RowDecomposer {
 public:
  RowDecomposer(const Network& net, const FixedFit& f, const std::vector<Edge>& edges, bool randomwalk)
      : f_(f), edges_(edges), n_(net.n_treat), E_(static_cast<int>(edges.size())),
        randomwalk_(randomwalk), sp_(n_), h_(E_), from_(E_), to_(E_), flow_(E_), out_edges_(n_),
        order_(n_), phi_(n_), outflow_(n_) {
    K_ = n_ / 2 + 2;
    if (randomwalk_) gauss_legendre01(K_, gx_, gw_);
    fa_.resize(n_, K_);
    fb_.resize(n_, K_);
  }

  // The contributions of the edges to the flow from src to dst (netmeta's
  // row "j:i" is the flow from the earlier treatment j to the later i).
  void row(int src, int dst, VectorXd& share) {
    const MatrixXd& C = f_.C;
    for (int e = 0; e < E_; ++e) {
      const int a = edges_[e].a, b = edges_[e].b;
      h_(e) = edges_[e].w * ((C(src, a) - C(src, b)) - (C(dst, a) - C(dst, b)));
    }
    share.setZero();
    if (!randomwalk_) {
      sp_.decompose(edges_, h_, src, dst, share);
    } else {
      random_walk(src, dst, share);
    }
    for (int e = 0; e < E_; ++e) {
      if (std::abs(share(e)) < 10 * std::numeric_limits<double>::epsilon()) share(e) = 0.0;
    }
  }

 private:
  void random_walk(int src, int dst, VectorXd& share) {
    const MatrixXd& C = f_.C;
    const int n = n_;
    // Potentials along which the flow runs downhill.
    for (int t = 0; t < n; ++t) phi_(t) = C(src, t) - C(dst, t);
    for (int t = 0; t < n; ++t) order_[t] = t;
    std::sort(order_.begin(), order_.end(), [&](int x, int y) { return phi_(x) > phi_(y); });
    outflow_.setZero();
    for (int t = 0; t < n; ++t) out_edges_[t].clear();
    for (int e = 0; e < E_; ++e) {
      if (h_(e) == 0.0) continue;
      from_[e] = h_(e) > 0 ? edges_[e].a : edges_[e].b;
      to_[e] = h_(e) > 0 ? edges_[e].b : edges_[e].a;
      flow_[e] = std::abs(h_(e));
      outflow_(from_[e]) += flow_[e];
      out_edges_[from_[e]].push_back(e);
    }
    // Transition probabilities; the target absorbs.
    for (int e = 0; e < E_; ++e) {
      if (h_(e) == 0.0) continue;
      double p = from_[e] == dst ? 0.0 : flow_[e] / outflow_(from_[e]);
      if (p < 1000 * std::numeric_limits<double>::epsilon()) p = 0.0;
      flow_[e] = p;
    }
    fa_.setZero();
    fb_.setZero();
    fa_.row(src).setOnes();
    for (int r = 0; r < n; ++r) {
      int u = order_[r];
      if (u == dst) continue;
      for (int e : out_edges_[u]) {
        if (flow_[e] > 0) fa_.row(to_[e]) += flow_[e] * fa_.row(u).cwiseProduct(gx_.transpose());
      }
    }
    fb_.row(dst).setOnes();
    for (int r = n - 1; r >= 0; --r) {
      int u = order_[r];
      if (u == dst) continue;
      for (int e : out_edges_[u]) {
        if (flow_[e] > 0) fb_.row(u) += flow_[e] * fb_.row(to_[e]).cwiseProduct(gx_.transpose());
      }
    }
    for (int e = 0; e < E_; ++e) {
      if (h_(e) == 0.0 || flow_[e] <= 0) continue;
      double s = 0.0;
      for (int q = 0; q < K_; ++q) s += gw_(q) * fa_(from_[e], q) * fb_(to_[e], q);
      share(e) = flow_[e] * s;
    }
  }

  const FixedFit& f_;
  const std::vector<Edge>& edges_;
  int n_, E_, K_;
  bool randomwalk_;
  ShortestPaths sp_;
  VectorXd h_;
  // Random-walk state.
  std::vector<int> from_, to_;
  std::vector<double> flow_;
  std::vector<std::vector<int>> out_edges_;
  std::vector<int> order_;
  VectorXd phi_, outflow_, gx_, gw_;
  MatrixXd fa_, fb_;
};

// Appends the entries of v (in the order `cols`) of at least `threshold`
// as one compressed row; returns their number.
inline int append_row(const VectorXd& v, const std::vector<int>& cols, double threshold,
                      std::vector<int>& j, std::vector<double>& x) {
  int count = 0;
  for (int c = 0; c < static_cast<int>(cols.size()); ++c) {
    const double value = v(cols[c]);
    if (value != 0.0 && value >= threshold) {
      j.push_back(c);
      x.push_back(value);
      ++count;
    }
  }
  return count;
}

// The rows to compute: flows from src[r] to dst[r] (treatment indices). Each
// row is independent of the others, so a caller asks only for the network
// estimates it reports, and the rows are shared among `threads` threads in
// chunks of `chunk_rows` (interrupt() is called on the calling thread once
// per chunk; see run_chunks()): the output does not depend on the thread
// count, every row being computed by the same operations in the same order.
// A shortest-path row costs about O(E) per path of its flow (at most E
// paths). Kept, as asked: the dense weights (threshold 0) or their entries
// of at least `threshold` as compressed rows (columns in the order of
// `col_rank`, also when dense); the study contributions the
// same way; and the contributions summed by groups of studies (`group`,
// studies x groups), dense, for which no row of weights needs to be kept.
template <class Interrupt = NoInterrupt>
Contributions contributions(const Network& net, const FixedFit& f, const std::vector<Edge>& edges,
                            const std::vector<int>& row_src, const std::vector<int>& row_dst,
                            const ContribOptions& o, Interrupt interrupt = Interrupt()) {
  const int E = static_cast<int>(edges.size());
  const int k = static_cast<int>(net.studies.size());
  const long n_rows = static_cast<long>(row_src.size());
  const bool sparse = o.threshold > 0;
  const int G = static_cast<int>(o.group.cols());
  const bool grouped = G > 0;
  const bool need_study = o.by_study || grouped;
  const int chunk = std::max(1, o.chunk_rows);
  const long n_chunks = (n_rows + chunk - 1) / chunk;
  Contributions out;
  std::vector<int> cols(E), study_cols(k);
  for (int e = 0; e < E; ++e) cols[e] = e;
  if (!o.col_rank.empty()) {
    for (int e = 0; e < E; ++e) cols[o.col_rank[e]] = e;
  }
  for (int s = 0; s < k; ++s) study_cols[s] = s;
  if (sparse) {
    if (o.keep_weights) out.sparse_weights.reset(new RowStore(n_rows, chunk, static_cast<size_t>(n_rows) * E));
    if (o.by_study) out.sparse_study.reset(new RowStore(n_rows, chunk, static_cast<size_t>(n_rows) * k));
  } else {
    if (o.keep_weights && o.weights_out == nullptr) out.weights = MatrixXd::Zero(n_rows, E);
    if (o.by_study && o.study_out == nullptr) out.study = MatrixXd::Zero(n_rows, k);
  }
  // the dense matrices, columns in the order `cols`
  double* const w_out = o.weights_out != nullptr ? o.weights_out : out.weights.data();
  double* const s_out = o.study_out != nullptr ? o.study_out : out.study.data();
  if (grouped) out.group = MatrixXd::Zero(n_rows, G);

  // (small jobs on one thread: starting threads would cost more)
  const bool small = static_cast<double>(n_rows) * E < o.min_parallel_work;
  const int threads = usable_threads(small ? 1 : o.threads, n_chunks);
  std::vector<std::unique_ptr<RowDecomposer>> dec(threads);
  for (int t = 0; t < threads; ++t) dec[t].reset(new RowDecomposer(net, f, edges, o.randomwalk));

  auto work = [&](long c, int slot) {
    RowDecomposer& d = *dec[slot];
    VectorXd share(E), study_share(k);
    std::vector<int> nnz, j, study_nnz, study_j;
    std::vector<double> x, study_x;
    const long first = c * chunk, last = std::min(n_rows, first + chunk);
    for (long row = first; row < last; ++row) {
      d.row(row_src[row], row_dst[row], share);
      if (o.keep_weights) {
        if (sparse) {
          nnz.push_back(append_row(share, cols, o.threshold, j, x));
        } else {
          for (int c = 0; c < E; ++c) w_out[row + n_rows * c] = share(cols[c]);
        }
      }
      if (!need_study) continue;
      // each study's share of the edges it informs, in the order of the edges
      study_share.setZero();
      for (int e = 0; e < E; ++e) {
        for (const EdgeStudy& es : edges[e].studies) {
          study_share(es.study) += share(e) * (es.w / edges[e].w);
        }
      }
      if (o.by_study) {
        if (sparse) {
          study_nnz.push_back(append_row(study_share, study_cols, o.threshold, study_j, study_x));
        } else {
          for (int s = 0; s < k; ++s) s_out[row + n_rows * s] = study_share(s);
        }
      }
      if (grouped) {
        for (int s = 0; s < k; ++s) {
          const double v = study_share(s);
          if (v == 0.0) continue;
          for (int g = 0; g < G; ++g) out.group(row, g) += v * o.group(s, g);
        }
      }
    }
    if (out.sparse_weights) out.sparse_weights->add_chunk(c, nnz, j, x);
    if (out.sparse_study) out.sparse_study->add_chunk(c, study_nnz, study_j, study_x);
  };
  run_chunks(n_chunks, threads, work, interrupt);
  return out;
}

}  // namespace fastnma

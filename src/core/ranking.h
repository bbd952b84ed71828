// Ranking of treatments: P-scores in closed form (Rucker & Schwarzer 2015)
// and SUCRA / rank probabilities by sampling from the multivariate normal
// distribution of the estimates (Salanti, Ades & Ioannidis 2011).
//
// The sampler is self-contained (xoshiro256** seeded by splitmix64, normal
// deviates by the polar method) so that a seed gives the same draws on every
// platform.
#pragma once

#include "interrupt.h"

#include <Eigen/Dense>
#include <cmath>
#include <cstdint>
#include <vector>

namespace fastnma {

inline double norm_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// P-score of every treatment from effects theta (n) and covariance C (n x n).
// With small_values_good, treatment i beats j when theta_i < theta_j.
inline Eigen::VectorXd pscores(const Eigen::VectorXd& theta, const Eigen::MatrixXd& C,
                               bool small_values_good) {
  const int n = static_cast<int>(theta.size());
  Eigen::VectorXd P = Eigen::VectorXd::Zero(n);
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      double v = C(i, i) + C(j, j) - 2.0 * C(i, j);
      double diff = theta(j) - theta(i);  // > 0: i smaller
      double p_i_smaller = v > 0 ? norm_cdf(diff / std::sqrt(v)) : (diff > 0 ? 1.0 : (diff < 0 ? 0.0 : 0.5));
      double p_i_better = small_values_good ? p_i_smaller : 1.0 - p_i_smaller;
      P(i) += p_i_better;
      P(j) += 1.0 - p_i_better;
    }
  }
  if (n > 1) P /= (n - 1.0);
  return P;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t z = seed;
    for (int i = 0; i < 4; ++i) s_[i] = splitmix(z);
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return (next() >> 11) * 0x1.0p-53; }
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix(uint64_t& z) {
    z += 0x9e3779b97f4a7c15ULL;
    uint64_t r = z;
    r = (r ^ (r >> 30)) * 0xbf58476d1ce4e5b9ULL;
    r = (r ^ (r >> 27)) * 0x94d049bb133111ebULL;
    return r ^ (r >> 31);
  }
  uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0.0;
};

struct RankSimulation {
  Eigen::MatrixXd prob;   // n x n: prob(i, r) = P(treatment i has rank r + 1)
  Eigen::VectorXd mean_rank;
  Eigen::VectorXd sucra;
};

// Draws n_sim effect vectors from N(theta, C) (C singular at the reference:
// the draw is made on the other n - 1 coordinates) and ranks them. Rank 1 is
// the best treatment. `interrupt` is called every 1024 draws.
template <class Interrupt = NoInterrupt>
RankSimulation rank_simulation(const Eigen::VectorXd& theta, const Eigen::MatrixXd& C,
                               int ref, bool small_values_good, int n_sim,
                               uint64_t seed, Interrupt interrupt = Interrupt()) {
  const int n = static_cast<int>(theta.size());
  std::vector<int> keep;
  for (int i = 0; i < n; ++i) if (i != ref) keep.push_back(i);
  const int m = n - 1;
  Eigen::MatrixXd Cg(m, m);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) Cg(i, j) = C(keep[i], keep[j]);
  // Cholesky with a tiny jitter fallback for positive semi-definite input.
  Eigen::LDLT<Eigen::MatrixXd> ldlt(Cg);
  Eigen::MatrixXd Lw = Eigen::MatrixXd::Zero(m, m);
  {
    Eigen::MatrixXd P = Eigen::MatrixXd::Identity(m, m);
    P = ldlt.transpositionsP().transpose() * P;
    Eigen::MatrixXd L = ldlt.matrixL();
    Eigen::VectorXd D = ldlt.vectorD().cwiseMax(0.0).cwiseSqrt();
    Lw = P * L * D.asDiagonal();
  }
  RankSimulation out;
  out.prob = Eigen::MatrixXd::Zero(n, n);
  Rng rng(seed);
  Eigen::VectorXd z(m), draw(n);
  std::vector<int> order(n);
  for (int it = 0; it < n_sim; ++it) {
    if ((it & 1023) == 0) interrupt();
    for (int i = 0; i < m; ++i) z(i) = rng.normal();
    Eigen::VectorXd x = Lw * z;
    draw = theta;
    for (int i = 0; i < m; ++i) draw(keep[i]) += x(i);
    if (!small_values_good) draw = -draw;
    for (int i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](int a, int b) { return draw(a) < draw(b); });
    for (int r = 0; r < n; ++r) out.prob(order[r], r) += 1.0;
  }
  out.prob /= static_cast<double>(n_sim);
  out.mean_rank = Eigen::VectorXd::Zero(n);
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < n; ++r) out.mean_rank(i) += (r + 1) * out.prob(i, r);
  out.sucra = (static_cast<double>(n) - out.mean_rank.array()) / (n - 1.0);
  return out;
}

}  // namespace fastnma

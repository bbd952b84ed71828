// Design-by-treatment inconsistency (Higgins et al. 2012; Krahn, Binder &
// Konig 2013).
//
// The pooled estimates of the designs (within_designs) are sufficient for
// the consistency model, so the between-design Q is the residual sum of
// squares of the design-level estimates y_d around the network fit:
//   Q_between = sum_d r_d' V_d^{-1} r_d,  r_d = y_d - U_d theta.
// Detaching design d (giving it its own parameters) is a rank-q_d downdate:
//   Q_between^(d) = Q_between - r_d' (V_d - U_d C U_d')^+ r_d.
// The random-effects version of the test uses tau^2 estimated by the
// generalised DerSimonian-Laird method in the full design-by-treatment
// interaction model (each design its own parameters).
#pragma once

#include "decomp.h"
#include "evidence.h"

namespace fastnma {

// Generalised DL estimate of tau^2 in the full interaction model.
inline double tau2_within_designs(const Network& net) {
  WithinDesigns wd = within_designs(net, 0.0);
  const int df = wd.df_total;
  if (df <= 0 || wd.Q_total <= df) return 0.0;
  const int nd = static_cast<int>(net.designs.size());
  std::vector<MatrixXd> sumW(nd), sumWRW(nd);
  std::vector<int> count(nd, 0);
  double trWR = 0.0;
  MatrixXd W;
  double ld;
  for (const Study& st : net.studies) {
    const int q = static_cast<int>(st.d.size());
    study_weight(st, 0.0, W, ld);
    MatrixXd R = MatrixXd::Constant(q, q, 0.5);
    R.diagonal().array() = 1.0;
    trWR += (W * R).trace();
    MatrixXd WRW = W * R * W;
    if (count[st.design]++ == 0) {
      sumW[st.design] = W;
      sumWRW[st.design] = WRW;
    } else {
      sumW[st.design] += W;
      sumWRW[st.design] += WRW;
    }
  }
  double tr2 = 0.0;
  for (int d = 0; d < nd; ++d) tr2 += Eigen::LLT<MatrixXd>(sumW[d]).solve(sumWRW[d]).trace();
  double slope = trWR - tr2;
  if (!(slope > 0)) return 0.0;
  return std::max(0.0, (wd.Q_total - df) / slope);
}

struct DesignInconsistency {
  double Q_total = 0.0, Q_within = 0.0, Q_between = 0.0;
  int df_total = 0, df_within = 0, df_between = 0;
  VectorXd Q_within_design;   // heterogeneity within each design
  Eigen::VectorXi df_within_design;
  VectorXd Q_between_design;  // contribution of each design to Q_between
  VectorXd Q_detach;          // Q_between after detaching each design
  Eigen::VectorXi df_detach;
  MatrixXd heat;              // heat(d, e): Q_between_design(d) minus its value after detaching e
};

inline DesignInconsistency design_inconsistency(const Network& net, const Model& model,
                                                double tau2, bool heat) {
  DesignInconsistency out;
  const int nd = static_cast<int>(net.designs.size());
  const int n = net.n_treat;
  FixedFit f = fixed_fit(model, tau2);
  WithinDesigns wd = within_designs(net, tau2);
  out.Q_total = f.Q;
  out.df_total = net.n_obs - (n - 1);
  out.Q_within = wd.Q_total;
  out.df_within = wd.df_total;
  out.Q_between = out.Q_total - out.Q_within;
  out.df_between = out.df_total - out.df_within;
  out.Q_within_design = wd.Q;
  out.df_within_design = wd.df;
  // Design-level residuals, inverse covariances and Z = U_d C.
  std::vector<VectorXd> r(nd), Vir(nd);
  std::vector<MatrixXd> Z(nd), Mi(nd), Vi(nd);
  std::vector<int> rank(nd);
  out.Q_between_design = VectorXd::Zero(nd);
  out.Q_detach = VectorXd::Zero(nd);
  out.df_detach = Eigen::VectorXi::Zero(nd);
  for (int d = 0; d < nd; ++d) {
    Study st;  // the design as a pseudo-study
    st.arms = net.designs[d];
    st.d = wd.estimate[d];
    r[d] = model.residual(st, f.theta);
    Vi[d] = wd.cov[d].inverse();
    Vir[d] = Vi[d] * r[d];
    out.Q_between_design(d) = r[d].dot(Vir[d]);
    Z[d] = study_Z(st, f.C);
    MatrixXd M = wd.cov[d] - study_H(st, Z[d]);
    Mi[d] = pinv_sym(M, rank[d], 1e-10, wd.cov[d].diagonal().maxCoeff());
  }
  for (int d = 0; d < nd; ++d) {
    out.Q_detach(d) = out.Q_between - r[d].dot(Mi[d] * r[d]);
    if (std::abs(out.Q_detach(d)) < 1e-12 * std::max(1.0, out.Q_between)) out.Q_detach(d) = 0.0;
    out.df_detach(d) = out.df_between - rank[d];
  }
  if (heat) {
    out.heat = MatrixXd::Zero(nd, nd);
    for (int e = 0; e < nd; ++e) {
      VectorXd u = Mi[e] * r[e];  // q_e
      // Z[e] is q_e x n: row l = C.row(arm_l) - C.row(base_e); the shift of
      // every other design's residuals when e is detached is U_d C U_e' u,
      // read off one n-vector (computed once per detached design).
      const VectorXd zu = Z[e].transpose() * u;  // n
      for (int d = 0; d < nd; ++d) {
        if (d == e) {
          out.heat(d, e) = out.Q_between_design(d);
          continue;
        }
        const std::vector<int>& arms = net.designs[d];
        const int qd = static_cast<int>(arms.size()) - 1;
        VectorXd shift(qd);
        for (int j = 0; j < qd; ++j) shift(j) = zu(arms[j + 1]) - zu(arms[0]);
        VectorXd rd = r[d] + shift;
        out.heat(d, e) = out.Q_between_design(d) - rd.dot(Vi[d] * rd);
      }
    }
  }
  (void)n;
  return out;
}

}  // namespace fastnma

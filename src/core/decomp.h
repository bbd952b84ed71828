// Decomposition of Q into heterogeneity within designs and inconsistency
// between designs (Krahn, Binder & Konig 2013). Studies of one design share
// their arms and therefore their basic contrasts, so the design-specific
// (full interaction) fit is a multivariate common-effect pooling per design.
#pragma once

#include "model.h"

namespace fastnma {

struct WithinDesigns {
  VectorXd Q;   // per design
  Eigen::VectorXi df;  // per design
  double Q_total = 0.0;
  int df_total = 0;
  std::vector<VectorXd> estimate;  // pooled basic contrasts per design
  std::vector<MatrixXd> cov;       // their covariance
};

inline WithinDesigns within_designs(const Network& net, double tau2) {
  const int nd = static_cast<int>(net.designs.size());
  WithinDesigns out;
  out.Q = VectorXd::Zero(nd);
  out.df = Eigen::VectorXi::Zero(nd);
  std::vector<MatrixXd> sumW(nd);
  std::vector<VectorXd> sumWd(nd);
  std::vector<int> count(nd, 0);
  std::vector<MatrixXd> Ws(net.studies.size());
  double ld;
  for (size_t s = 0; s < net.studies.size(); ++s) {
    const Study& st = net.studies[s];
    int dsg = st.design;
    study_weight(st, tau2, Ws[s], ld);
    if (count[dsg] == 0) {
      sumW[dsg] = Ws[s];
      sumWd[dsg] = Ws[s] * st.d;
    } else {
      sumW[dsg] += Ws[s];
      sumWd[dsg] += Ws[s] * st.d;
    }
    count[dsg]++;
  }
  out.estimate.resize(nd);
  out.cov.resize(nd);
  for (int dsg = 0; dsg < nd; ++dsg) {
    Eigen::LLT<MatrixXd> llt(sumW[dsg]);
    out.estimate[dsg] = llt.solve(sumWd[dsg]);
    out.cov[dsg] = llt.solve(MatrixXd::Identity(sumW[dsg].rows(), sumW[dsg].rows()));
    out.df(dsg) = (count[dsg] - 1) * static_cast<int>(sumW[dsg].rows());
  }
  for (size_t s = 0; s < net.studies.size(); ++s) {
    const Study& st = net.studies[s];
    VectorXd r = st.d - out.estimate[st.design];
    out.Q(st.design) += r.dot(Ws[s] * r);
  }
  out.Q_total = out.Q.sum();
  out.df_total = out.df.sum();
  return out;
}

}  // namespace fastnma

// Thin Rcpp wrapper around the dose-response core (src/core/dose.h), which
// fits the dose design on the one GLS model of src/core/model.h with the
// tau^2 estimators of src/core/tau2.h.
#include <string>

#include "core/dose.h"
#include "network_handle.h"

using namespace fastnma;

// Fits the dose-response model with node design A (nodes x columns) on the
// compiled network of the fit (nodes are the network's treatments), with
// common and random effects. Options: `tau2_method` ("DL", "PM", "REML",
// "ML", or "netdose": netdose 0.7-5's moment estimator and unscaled
// pseudo-inverse), `tol_tau2`, `tau2_preset` (>= 0 fixes tau^2), `A_lump`
// and `A_split` (the designs of the lumped and split models, for their Q)
// and `others` (whether to fit them). The weights `w_common`, `w_random` are
// the reduced weights of the rows of the network (Rucker & Schwarzer 2014).
// Status (src/core/status.h): OK, REBUILD (the network could not be
// rebuilt), SINGULAR or NOT_FINITE.
// [[Rcpp::export]]
Rcpp::List dose_fit_cpp(Rcpp::List network, Rcpp::NumericMatrix A, Rcpp::List opts) {
  const std::string method = opt<std::string>(opts, "tau2_method");
  const double tol_tau2 = opt<double>(opts, "tol_tau2");
  const double tau2_preset = opt<double>(opts, "tau2_preset");
  const bool others = opt<bool>(opts, "others");
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return rebuild_failure(rn);
  const Network& net = rn.net();
  const NetworkHandle& h = *rn.h;
  if (A.nrow() != net.n_treat) {
    return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(BAD_INDEX));
  }
  DoseFit fit = fit_dose(net, eigen_mat(A), method, tol_tau2, tau2_preset);
  if (fit.status != OK) return Rcpp::List::create(Rcpp::Named("status") = fit.status);

  Rcpp::List out;
  out["status"] = static_cast<int>(OK);
  put_models(out, fit.beta_common, fit.cov_common, fit.beta_random, fit.cov_random);
  out["w_common"] = to_r(pair_weights(net, 0.0, h.study, h.t1, h.t2));
  out["w_random"] = to_r(pair_weights(net, fit.tau2.tau2, h.study, h.t1, h.t2));
  out["Q"] = fit.Q;
  out["Q_random"] = fit.Q_random;
  out["df"] = fit.df;
  out["rank"] = fit.rank;
  out["rank_pinv"] = fit.rank_pinv;
  out["tau2"] = fit.tau2.tau2;
  out["tau2_iterations"] = fit.tau2.iterations;
  out["tau2_converged"] = fit.tau2.converged;
  out["tau2_boundary"] = fit.tau2.boundary;
  out["tau2_identifiable"] = fit.tau2.identifiable;
  out["loglik_ml"] = fit.loglik_ml;
  out["loglik_reml"] = fit.loglik_reml;
  out["n_obs"] = net.n_obs;
  if (others) {
    int df_lump = 0, df_split = 0;
    out["Q_lump"] = dose_common_Q(net, eigen_mat(opt<Rcpp::NumericMatrix>(opts, "A_lump")),
                                  df_lump);
    out["df_lump"] = df_lump;
    out["Q_split"] = dose_common_Q(net, eigen_mat(opt<Rcpp::NumericMatrix>(opts, "A_split")),
                                   df_split);
    out["df_split"] = df_split;
  }
  return out;
}

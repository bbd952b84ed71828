// Thin Rcpp wrapper around the design-by-treatment decomposition of Q
// (src/core/inconsistency.h).
#include "core/inconsistency.h"
#include "core/netheat.h"
#include "diag.h"

using namespace fastnma;

// [[Rcpp::export]]
Rcpp::List inconsistency_cpp(Rcpp::List network, int ref, bool heat) {
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return rebuild_failure(rn.br);
  const Network& net = rn.net();
  Model model(net, ref - 1);
  double tau2w = tau2_within_designs(net);
  DesignInconsistency d0 = design_inconsistency(net, model, 0.0, heat);
  DesignInconsistency d1 = design_inconsistency(net, model, tau2w, heat);
  auto pack = [&](const DesignInconsistency& d) {
    Rcpp::List l = Rcpp::List::create(
        Rcpp::Named("Q_total") = d.Q_total, Rcpp::Named("df_total") = d.df_total,
        Rcpp::Named("Q_within") = d.Q_within, Rcpp::Named("df_within") = d.df_within,
        Rcpp::Named("Q_between") = d.Q_between, Rcpp::Named("df_between") = d.df_between,
        Rcpp::Named("Q_within_design") = r_vec(d.Q_within_design),
        Rcpp::Named("df_within_design") = Rcpp::IntegerVector(d.df_within_design.data(), d.df_within_design.data() + d.df_within_design.size()),
        Rcpp::Named("Q_between_design") = r_vec(d.Q_between_design),
        Rcpp::Named("Q_detach") = r_vec(d.Q_detach),
        Rcpp::Named("df_detach") = Rcpp::IntegerVector(d.df_detach.data(), d.df_detach.data() + d.df_detach.size()));
    if (heat) l["heat"] = r_mat(d.heat);
    return l;
  };
  return Rcpp::List::create(Rcpp::Named("core_status") = static_cast<int>(OK),
                            Rcpp::Named("common") = pack(d0),
                            Rcpp::Named("random") = pack(d1),
                            Rcpp::Named("tau2_within") = tau2w);
}

// The design-level hat matrix of the net heat plot at tau2 (src/core/netheat.h):
// `H` (designs x designs, in the order of the network's designs) and
// `in_loop` (whether each design is part of a loop).
// [[Rcpp::export]]
Rcpp::List netheat_cpp(Rcpp::List network, int ref, double tau2) {
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return rebuild_failure(rn.br);
  DesignHat dh;
  if (!design_hat(rn.net(), ref - 1, tau2, dh)) return singular_failure();
  return Rcpp::List::create(Rcpp::Named("core_status") = static_cast<int>(OK),
                            Rcpp::Named("H") = r_mat(dh.H),
                            Rcpp::Named("in_loop") = Rcpp::LogicalVector(dh.in_loop.begin(), dh.in_loop.end()));
}

// Thin Rcpp wrapper around the NMA core (src/core/*.h).
#include "fit_list.h"
#include "fit_options.h"

using namespace fastnma;

// Fits the common-effect and random-effects models on the compiled network
// of an R network object (fit_built() of src/core/fit.h, the routine the
// batch path runs after building each network), or reports why it cannot:
// the first input problem (1-based indices) of a network that must be
// rebuilt, 7 disconnected, 8 singular system, 11 numbers not finite.
// Options: `ref` (1-based), `method`, `tol_tau2`, `tau2_preset` (< 0: estimate).
// [[Rcpp::export]]
Rcpp::List nma_fit_cpp(Rcpp::List network, Rcpp::List opts) {
  const int ref = opt<int>(opts, "ref");
  const FitOptions o = fit_options(opts);
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return problem_list(rn.br);
  const Network& net = rn.net();
  FitOne f;
  fit_built(net, ref - 1, o.method, o.tol_tau2, o.tau2_preset, f);
  if (f.status == OK) return fit_list(f, net);
  if (f.status == DISCONNECTED) {
    return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(DISCONNECTED),
                              Rcpp::Named("components") = r_codes(f.components));
  }
  // 8: singular system; 11: numbers not finite (extreme but finite inputs).
  return Rcpp::List::create(Rcpp::Named("status") = f.status);
}

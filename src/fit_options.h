// The options every fitting wrapper reads (`method`, the tau^2 estimator;
// `tol_tau2`; `tau2_preset`, < 0: estimate) and the network it fits.
#pragma once

#include <string>

#include "network_handle.h"

namespace fastnma {

struct FitOptions {
  std::string method;
  double tol_tau2 = 0.0;
  double tau2_preset = -1.0;
};

inline FitOptions fit_options(const Rcpp::List& opts) {
  FitOptions o;
  o.method = opt<std::string>(opts, "method");
  o.tol_tau2 = opt<double>(opts, "tol_tau2");
  o.tau2_preset = opt<double>(opts, "tau2_preset");
  return o;
}

}  // namespace fastnma

// Thin Rcpp wrappers: build and validate a network once (src/core/network.h)
// and return its structure, with the compiled network as an external
// pointer (src/network_handle.h), for the R-side network object.
#include "network_handle.h"

using namespace fastnma;

// Builds the network of an R network object (its `codes`, `data`,
// `studies`, `treatments` and `tol_multiarm`). On an input problem returns
// `status` (see InputProblem in core/network.h) with 1-based locations; else
// status 0 with the designs, the number of arms per study, the number of
// independent contrasts, the connected component of every treatment and the
// `handle` the compiled verbs take.
// [[Rcpp::export]]
Rcpp::List network_build_cpp(Rcpp::List network) {
  NetworkRows rows = network_rows(network);
  std::unique_ptr<NetworkHandle> h(new NetworkHandle());
  BuildResult br = build_handle(rows, *h);
  if (br.code != OK) return problem_list(br);
  return network_list(std::move(h));
}

// Whether the network object's handle is live and describes its stored rows
// (FALSE after readRDS(), or when the stored data were edited).
// [[Rcpp::export]]
bool network_handle_ok_cpp(Rcpp::List network) {
  NetworkHandle* h = handle_of(list_get(network, "handle"));
  return h != nullptr && handle_matches(*h, network_rows(network));
}

// The number of networks built by the core since the last reset (reset:
// set it to 0 first). Internal: lets the tests count builds per call.
// [[Rcpp::export]]
double network_builds_cpp(bool reset) {
  if (reset) network_builds() = 0;
  return static_cast<double>(network_builds());
}

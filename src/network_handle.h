// The compiled network an `nma_network` object keeps: built once by
// network_build_cpp() (src/network.cpp) and handed to every compiled verb
// as the R network object itself, whose element `handle` is an external
// pointer to a NetworkHandle.
//
// The handle keeps the rows it was built from. A verb uses it only when it
// still describes the object's stored rows (codes, estimates, standard
// errors, sizes and tolerance, compared element by element): a network read
// back with readRDS() (its pointer is nil), an object made before handles
// existed, or one whose stored data were edited, is rebuilt from the stored
// R data, once, for that call. The comparison is a pass over the rows; the
// build (multi-arm back-solve, designs) is not repeated.
#pragma once

#include <memory>

#include "wrap.h"

namespace fastnma {

struct NetworkHandle {
  std::vector<int> study, t1, t2;  // 0-based codes of the rows
  std::vector<double> y, se;
  int n_study = 0, n_treat = 0;
  double tol = 0.0;
  Network net;
};

// The rows of an R network object (`codes`, `data`, `studies`,
// `treatments`, `tol_multiarm`), read without copying.
struct NetworkRows {
  Rcpp::IntegerVector study, t1, t2;
  Rcpp::NumericVector y, se;
  int n_study = 0, n_treat = 0;
  double tol = 0.0;
};

inline NetworkRows network_rows(const Rcpp::List& network) {
  Rcpp::List codes(list_get(network, "codes")), data(list_get(network, "data"));
  NetworkRows r;
  r.study = list_get(codes, "study");
  r.t1 = list_get(codes, "treat1");
  r.t2 = list_get(codes, "treat2");
  r.y = list_get(data, "estimate");
  r.se = list_get(data, "std.error");
  r.n_study = Rf_length(list_get(network, "studies"));
  r.n_treat = Rf_length(list_get(network, "treatments"));
  r.tol = Rcpp::as<double>(list_get(network, "tol_multiarm"));
  return r;
}

// Builds a handle from the rows (counted by network_builds()).
inline BuildResult build_handle(const NetworkRows& r, NetworkHandle& h) {
  const R_xlen_t m = r.study.size();
  if (r.t1.size() != m || r.t2.size() != m || r.y.size() != m || r.se.size() != m) {
    BuildResult br;
    br.code = BAD_INDEX;
    return br;
  }
  h.study = zero_based(r.study);
  h.t1 = zero_based(r.t1);
  h.t2 = zero_based(r.t2);
  h.y.assign(r.y.begin(), r.y.end());
  h.se.assign(r.se.begin(), r.se.end());
  h.n_study = r.n_study;
  h.n_treat = r.n_treat;
  h.tol = r.tol;
  return build_network(h.study, h.t1, h.t2, h.y.data(), h.se.data(), h.n_study,
                       h.n_treat, h.tol, h.net);
}

inline bool same_codes(const std::vector<int>& a, const Rcpp::IntegerVector& b) {
  if (static_cast<R_xlen_t>(a.size()) != b.size()) return false;
  for (R_xlen_t i = 0; i < b.size(); ++i) {
    if (a[i] != (b[i] == NA_INTEGER ? -1 : b[i] - 1)) return false;
  }
  return true;
}

inline bool same_values(const std::vector<double>& a, const Rcpp::NumericVector& b) {
  return static_cast<R_xlen_t>(a.size()) == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.begin(), a.size() * sizeof(double)) == 0);
}

// Does the handle still describe these rows?
inline bool handle_matches(const NetworkHandle& h, const NetworkRows& r) {
  return h.n_study == r.n_study && h.n_treat == r.n_treat && h.tol == r.tol &&
         same_codes(h.study, r.study) && same_codes(h.t1, r.t1) &&
         same_codes(h.t2, r.t2) && same_values(h.y, r.y) && same_values(h.se, r.se);
}

inline SEXP handle_tag() { return Rf_install("fastnma_network"); }

// The live handle of an external pointer, or nullptr (nil after readRDS(),
// not a pointer, or not ours).
inline NetworkHandle* handle_of(SEXP p) {
  if (TYPEOF(p) != EXTPTRSXP || R_ExternalPtrTag(p) != handle_tag()) return nullptr;
  return static_cast<NetworkHandle*>(R_ExternalPtrAddr(p));
}

inline Rcpp::XPtr<NetworkHandle> wrap_handle(NetworkHandle* h) {
  return Rcpp::XPtr<NetworkHandle>(h, true, handle_tag(), R_NilValue);
}

// The network a verb works on: the object's handle when it still describes
// the stored rows, else one built from them for this call (`own`). Returns
// false, with the problem in `br`, when the stored rows no longer make a
// network.
struct ResolvedNetwork {
  const NetworkHandle* h = nullptr;
  std::unique_ptr<NetworkHandle> own;
  BuildResult br;
  const Network& net() const { return h->net; }
};

inline bool resolve_network(SEXP network, ResolvedNetwork& out) {
  Rcpp::List nl(network);
  NetworkRows rows = network_rows(nl);
  NetworkHandle* h = handle_of(list_get(nl, "handle"));
  if (h != nullptr && handle_matches(*h, rows)) {
    out.h = h;
    return true;
  }
  out.own.reset(new NetworkHandle());
  out.br = build_handle(rows, *out.own);
  out.h = out.own.get();
  return out.br.code == OK;
}

// What a verb returns when the stored rows no longer make a network: status
// REBUILD with the build problem and its (1-based) study.
inline Rcpp::List rebuild_failure(const ResolvedNetwork& rn) {
  return Rcpp::List::create(Rcpp::Named("status") = static_cast<int>(REBUILD),
                            Rcpp::Named("problem") = rn.br.code,
                            Rcpp::Named("study") = rn.br.study + 1);
}

// The R-side structure of a built network (designs, arms per study,
// independent contrasts, components) with its handle, which the list takes
// over: what network_build_cpp() returns, and what the batch path keeps of
// each network it built so that the network object of a member is made
// without building it again.
inline Rcpp::List network_list(std::unique_ptr<NetworkHandle> h) {
  const Network& net = h->net;
  std::vector<int> comp = components(net);
  std::vector<int> design_of(net.studies.size()), n_arms(net.studies.size());
  for (size_t s = 0; s < net.studies.size(); ++s) {
    design_of[s] = net.studies[s].design + 1;
    n_arms[s] = static_cast<int>(net.studies[s].arms.size());
  }
  Rcpp::List design_arms(net.designs.size());
  for (size_t d = 0; d < net.designs.size(); ++d) design_arms[d] = r_codes(net.designs[d]);
  const int n_obs = net.n_obs;
  return Rcpp::List::create(
      Rcpp::Named("status") = static_cast<int>(OK),
      Rcpp::Named("design") = r_int(design_of),
      Rcpp::Named("design_arms") = design_arms,
      Rcpp::Named("n_arms") = r_int(n_arms),
      Rcpp::Named("n_obs") = n_obs,
      Rcpp::Named("components") = r_codes(comp),
      Rcpp::Named("handle") = wrap_handle(h.release()));
}

}  // namespace fastnma

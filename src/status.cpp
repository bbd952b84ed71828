// The status codes of the core (src/core/status.h) as R sees them.
#include <Rcpp.h>

#include "core/status.h"

// Named integer vector of every non-zero status code, for the test that
// R/core-errors.R's table turns each of them into a classed error.
// [[Rcpp::export]]
Rcpp::IntegerVector core_status_codes() {
  const int n = sizeof(fastnma::kStatusCodes) / sizeof(fastnma::kStatusCodes[0]);
  Rcpp::IntegerVector out(n);
  Rcpp::CharacterVector nm(n);
  for (int i = 0; i < n; ++i) {
    out[i] = static_cast<int>(fastnma::kStatusCodes[i].code);
    nm[i] = fastnma::kStatusCodes[i].name;
  }
  out.attr("names") = nm;
  return out;
}

// The per-item codes (src/core/status.h, kItemCodes): a list with one named
// integer vector per enumeration, which R reads by name (core_code()).
// [[Rcpp::export]]
Rcpp::List core_item_codes() {
  Rcpp::List out;
  for (const fastnma::ItemCode& c : fastnma::kItemCodes) {
    Rcpp::IntegerVector v = out.containsElementNamed(c.set)
                                ? Rcpp::IntegerVector(out[c.set])
                                : Rcpp::IntegerVector();
    v.push_back(c.code, c.name);
    out[c.set] = v;
  }
  return out;
}

// Progress of a long core call: R sets a callback (progress_cpp) before the
// call and clears it after. The cores call interrupt() every `stride` units
// of work (1024 draws in rank_simulation, 16 studies in leave_one_out, 32
// comparisons in split_separate, 64 rows in contributions); interrupt()
// checks for a user interrupt and, at most every `interval` seconds, reports the units
// done to the callback (`interval`: 0.2 s unless R says otherwise).
#include <chrono>

#include "wrap.h"

namespace {

struct ProgressState {
  Rcpp::RObject callback;  // R_NilValue: no progress reported
  double total = 0.0, stride = 1.0;
  double calls = 0.0;
  std::chrono::duration<double> interval{0.2};
  std::chrono::steady_clock::time_point last;
};
ProgressState progress_state;

}  // namespace

namespace fastnma {

void interrupt() {
  Rcpp::checkUserInterrupt();
  ProgressState& p = progress_state;
  if (p.callback.isNULL()) return;
  const double done = std::min(p.total, p.calls * p.stride);
  p.calls += 1.0;
  const auto now = std::chrono::steady_clock::now();
  if (now - p.last < p.interval) return;
  p.last = now;
  Rcpp::Function f(p.callback);
  f(done);
}

}  // namespace fastnma

// Sets (a function of the units done) or clears (NULL) the progress
// callback; `opts`: the units of work in all (`total`), the units between two
// interrupt() calls (`stride`) and the least seconds between two reports
// (`interval`).
// [[Rcpp::export]]
void progress_cpp(SEXP callback, Rcpp::List opts) {
  progress_state.callback = callback;
  progress_state.interval =
      std::chrono::duration<double>(fastnma::opt<double>(opts, "interval"));
  progress_state.total = fastnma::opt<double>(opts, "total");
  progress_state.stride = fastnma::opt<double>(opts, "stride");
  progress_state.calls = 0.0;
  progress_state.last = std::chrono::steady_clock::now();
}

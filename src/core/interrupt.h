// The callback that the long loops of the core call now and then, so that
// the R wrappers can check for a user interrupt or report progress. It
// defaults to NoInterrupt, which does nothing: the core runs outside R.
#pragma once

namespace fastnma {

struct NoInterrupt {
  void operator()() const {}
};

}  // namespace fastnma

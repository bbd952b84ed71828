// Every status code of the core, in one place.
//
// Plain C++17, no R. A call into the core reports one `Status`: 0 when it
// succeeded, else the first problem found. The R side turns each non-zero
// code into a classed error through the one table in R/core-errors.R
// (`core_statuses`); tests/testthat/test-core-errors.R checks that table against
// kStatusCodes below, so a code added here without a row there (or the other
// way round) fails the tests.
//
// Per-item codes that are not errors (why a 2x2 table or a rate/mean pair is
// not estimable, what happened to an arm in the Mantel-Haenszel fit or to a
// study in the non-central hypergeometric one, how a binomial-normal model
// ended) are listed here too, each in its own enumeration: they describe
// single rows or parts of a result and are turned into reasons, warnings or
// errors on the R side, which reads them by name (kItemCodes).
#pragma once

namespace fastnma {

enum Status : int {
  OK = 0,
  // Building the network from an edge list (build_network()).
  SELF_COMPARISON = 1,         // treat1 == treat2
  DUPLICATE_PAIR = 2,          // the same pair twice in one study
  INCOMPLETE_MULTIARM = 3,     // a p-arm study without all p(p-1)/2 contrasts
  INCONSISTENT_ESTIMATES = 4,  // y_ab != y_ac - y_bc beyond tolerance
  INCONSISTENT_VARIANCES = 5,  // back-solved covariance not positive definite
  BAD_SE = 6,                  // se not finite or <= 0
  // Fitting.
  DISCONNECTED = 7,            // the treatment graph falls into parts
  SINGULAR = 8,                // a linear system is singular
  EMPTY = 9,                   // Mantel-Haenszel: nothing left to estimate
  REBUILD = 10,                // a fit's stored network fails a build check
  NOT_FINITE = 11,             // numbers overflowed double precision
  // Indices and arguments that cross into the core.
  BAD_INDEX = 20,              // a study or treatment index outside its range
  NO_REFERENCE = 21,           // the reference treatment is not in the network
  // Component network meta-analysis.
  UNIDENTIFIED = 30            // model columns the contrasts do not identify
};

// The codes with their names, for the R side (core_status_codes()) and for
// the test of the table in R/core-errors.R.
struct StatusName {
  Status code;
  const char* name;
};

inline constexpr StatusName kStatusCodes[] = {
    {SELF_COMPARISON, "self_comparison"},
    {DUPLICATE_PAIR, "duplicate_pair"},
    {INCOMPLETE_MULTIARM, "incomplete_multiarm"},
    {INCONSISTENT_ESTIMATES, "inconsistent_estimates"},
    {INCONSISTENT_VARIANCES, "inconsistent_variances"},
    {BAD_SE, "bad_se"},
    {DISCONNECTED, "disconnected"},
    {SINGULAR, "singular"},
    {EMPTY, "empty"},
    {REBUILD, "rebuild"},
    {NOT_FINITE, "not_finite"},
    {BAD_INDEX, "bad_index"},
    {NO_REFERENCE, "no_reference"},
    {UNIDENTIFIED, "unidentified"}};

// Why the effect of one 2x2 table is not estimable (twobytwo.h; the reasons
// of R/data-twobytwo.R, by position).
namespace twobytwo {
enum Status {
  ESTIMABLE = 0,
  NO_EVENTS_BOTH = 1,         // no events in either arm, dropped on request
  ALL_EVENTS_BOTH = 2,        // events in every patient of both arms, dropped on request
  ZERO_CELL_UNCORRECTED = 3,  // a zero cell with no increment: log of zero
  ZERO_VARIANCE = 4,          // variance zero (e.g. zero cells, no increment)
  INVALID_INPUT = 5           // n <= 0, events outside [0, n], negative or non-finite values
};
}  // namespace twobytwo

// Why the effect of one pair of rate or mean arms is not estimable
// (ratemean.h).
namespace ratemean {
enum Status {
  ESTIMABLE = 0,
  ZERO_EVENTS_UNCORRECTED = 1,  // IRR: no events in an arm and no increment
  NONPOSITIVE_MEAN = 2,         // ROM: a mean that is zero or negative
  INVALID_INPUT = 3             // negative, non-finite or impossible values
};
}  // namespace ratemean

// Why a comparison has no node-split (split.h): no indirect evidence, or the
// network without its direct evidence falls into parts.
enum SplitStatus { SPLIT_OK = 0, SPLIT_NO_INDIRECT = 1, SPLIT_DISCONNECTED = 2 };

// What happened to an input arm of the Mantel-Haenszel fit (mh.h).
namespace mh {
enum ArmStatus {
  ARM_USED = 0,
  ARM_NO_EVENTS_IN_DESIGN = 1,    // sum of events over the design's studies is 0
  ARM_ONLY_EVENTS_IN_DESIGN = 2,  // sum of non-events is 0 (odds ratio)
  ARM_DESIGN_ONE_ARM = 3,         // its design kept fewer than two arms
  ARM_DESIGN_DEGENERATE = 4,      // its design's MH estimates are not finite
  ARM_STUDY_ONE_ARM = 5           // its study has a single arm
};
}  // namespace mh

// What a study contributes to the non-central hypergeometric fit (nch.h).
namespace nch {
enum StudyInfo { STUDY_NOT_USED = -1, STUDY_NO_INFORMATION = 0, STUDY_USED = 1 };
}  // namespace nch

// How one model of the binomial-normal fit ended (glmm.h), and whether the
// upper limit of the profile-likelihood interval of tau^2 was found.
namespace glmm {
enum FitStatus {
  FIT_OK = 0,
  FIT_NOT_CONVERGED = 1,  // the maximisation stopped before it converged
  FIT_NOT_FINITE = 2,     // the likelihood or its gradient is not finite
  FIT_SINGULAR = 3        // the negative Hessian is not positive definite
};
enum ProfileStatus { PROFILE_OK = 0, PROFILE_NO_UPPER = 1 };
}  // namespace glmm

// The per-item codes above with their names, by enumeration, for the R side
// (core_item_codes()): R reads them by name, never as literals.
struct ItemCode {
  const char* set;
  const char* name;
  int code;
};

inline constexpr ItemCode kItemCodes[] = {
    {"twobytwo", "estimable", twobytwo::ESTIMABLE},
    {"twobytwo", "no_events_both", twobytwo::NO_EVENTS_BOTH},
    {"twobytwo", "all_events_both", twobytwo::ALL_EVENTS_BOTH},
    {"twobytwo", "zero_cell_uncorrected", twobytwo::ZERO_CELL_UNCORRECTED},
    {"twobytwo", "zero_variance", twobytwo::ZERO_VARIANCE},
    {"twobytwo", "invalid_input", twobytwo::INVALID_INPUT},
    {"ratemean", "estimable", ratemean::ESTIMABLE},
    {"ratemean", "zero_events_uncorrected", ratemean::ZERO_EVENTS_UNCORRECTED},
    {"ratemean", "nonpositive_mean", ratemean::NONPOSITIVE_MEAN},
    {"ratemean", "invalid_input", ratemean::INVALID_INPUT},
    {"split", "ok", SPLIT_OK},
    {"split", "no_indirect", SPLIT_NO_INDIRECT},
    {"split", "disconnected", SPLIT_DISCONNECTED},
    {"mh_arm", "used", mh::ARM_USED},
    {"mh_arm", "no_events_in_design", mh::ARM_NO_EVENTS_IN_DESIGN},
    {"mh_arm", "only_events_in_design", mh::ARM_ONLY_EVENTS_IN_DESIGN},
    {"mh_arm", "design_one_arm", mh::ARM_DESIGN_ONE_ARM},
    {"mh_arm", "design_degenerate", mh::ARM_DESIGN_DEGENERATE},
    {"mh_arm", "study_one_arm", mh::ARM_STUDY_ONE_ARM},
    {"nch_study", "not_used", nch::STUDY_NOT_USED},
    {"nch_study", "no_information", nch::STUDY_NO_INFORMATION},
    {"nch_study", "used", nch::STUDY_USED},
    {"glmm_fit", "ok", glmm::FIT_OK},
    {"glmm_fit", "not_converged", glmm::FIT_NOT_CONVERGED},
    {"glmm_fit", "not_finite", glmm::FIT_NOT_FINITE},
    {"glmm_fit", "singular", glmm::FIT_SINGULAR},
    {"glmm_profile", "ok", glmm::PROFILE_OK},
    {"glmm_profile", "no_upper", glmm::PROFILE_NO_UPPER}};

}  // namespace fastnma

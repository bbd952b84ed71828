// Thin Rcpp wrapper of the batch path (src/core/batch.h): many networks,
// one call.
#include <Rcpp.h>
#include <RcppEigen.h>

#include "core/batch.h"
#include "core/inconsistency.h"
#include "diag.h"
#include "fit_list.h"
#include "network_handle.h"
#include "wrap.h"

using namespace fastnma;

// Fits networks g = 1..G whose rows are offset[g - 1] .. offset[g] - 1
// (0-based offsets into the edge list): `study` codes local to the network
// (1-based), `t1`, `t2` global treatment codes (1-based), `ref` the global
// code of the reference or 0 for each network's first treatment.
// `rank`: 0 none, 1 P-scores, 2 SUCRA with `n_sim` draws and one seed per
// network. With `lean`, no per-network result lists are made; otherwise
// each network is built into a compiled handle that its result keeps
// (`fits[[g]]$network`, as network_build_cpp() returns it), so that the
// network object of the member and every verb on it use the network built
// here instead of building it again. All of these
// arrive as the elements of one list `a` (R/fit-batch.R, batch_run()).
// [[Rcpp::export]]
Rcpp::List nma_batch_cpp(Rcpp::List a) {
  Rcpp::IntegerVector study = opt<Rcpp::IntegerVector>(a, "study");
  Rcpp::IntegerVector t1 = opt<Rcpp::IntegerVector>(a, "t1");
  Rcpp::IntegerVector t2 = opt<Rcpp::IntegerVector>(a, "t2");
  Rcpp::NumericVector y = opt<Rcpp::NumericVector>(a, "y");
  Rcpp::NumericVector se = opt<Rcpp::NumericVector>(a, "se");
  Rcpp::IntegerVector offset = opt<Rcpp::IntegerVector>(a, "offset");
  Rcpp::IntegerVector n_study = opt<Rcpp::IntegerVector>(a, "n_study");
  const int n_treat = opt<int>(a, "n_treat"), ref = opt<int>(a, "ref");
  const std::string method = opt<std::string>(a, "method");
  const double tol_multiarm = opt<double>(a, "tol_multiarm");
  const double tol_tau2 = opt<double>(a, "tol_tau2");
  const double tau2_preset = opt<double>(a, "tau2_preset");
  const bool lean = opt<bool>(a, "lean"), small_good = opt<bool>(a, "small_good");
  const int rank = opt<int>(a, "rank"), n_sim = opt<int>(a, "n_sim");
  Rcpp::NumericVector seeds = opt<Rcpp::NumericVector>(a, "seeds");
  const int G = n_study.size();
  const R_xlen_t m = study.size();
  if (offset.size() != G + 1 || t1.size() != m || t2.size() != m || y.size() != m ||
      se.size() != m || (rank == 2 && seeds.size() != G)) {
    Rcpp::stop("internal error: inconsistent batch input");
  }
  for (int g = 0; g < G; ++g) {
    if (offset[g] < 0 || offset[g + 1] < offset[g] || offset[g + 1] > m) {
      Rcpp::stop("internal error: inconsistent batch offsets");
    }
  }
  const std::vector<int> s0 = zero_based(study), a0 = zero_based(t1), b0 = zero_based(t2);
  Rcpp::IntegerVector status(G), n_treat_g(G), ref_g(G), df(G), df_within(G),
      n_obs(G), n_designs(G), iterations(G);
  Rcpp::LogicalVector converged(G), boundary(G), identifiable(G);
  Rcpp::NumericVector tau2(G, NA_REAL), Q(G, NA_REAL), Q_random(G, NA_REAL),
      Q_within(G, NA_REAL), ll_ml(G, NA_REAL), ll_reml(G, NA_REAL);
  std::vector<int> treat_flat;
  std::vector<double> th_r, v_r, th_c, v_c, score, mean_rank, p_best;
  Rcpp::List fits(lean ? 0 : G);
  std::vector<int> local_of;
  for (int g = 0; g < G; ++g) {
    if ((g & 63) == 0) Rcpp::checkUserInterrupt();
    BatchNetwork bn = batch_network(s0.data(), a0.data(), b0.data(), offset[g],
                                    offset[g + 1], n_treat,
                                    ref > 0 ? ref - 1 : -1, local_of);
    const int n = static_cast<int>(bn.treatments.size());
    n_treat_g[g] = n;
    ref_g[g] = bn.ref + 1;
    for (int t : bn.treatments) treat_flat.push_back(t + 1);
    FitOne f;
    std::unique_ptr<NetworkHandle> h;
    if (bn.ref < 0 || n < 2) {
      f.status = bn.ref < 0 ? NO_REFERENCE : BAD_INDEX;
    } else if (lean) {
      f = fit_one(bn.study, bn.t1, bn.t2, y.begin() + offset[g], se.begin() + offset[g],
                  n_study[g], n, bn.ref, method, tol_multiarm, tol_tau2, tau2_preset);
    } else {
      // the steps of fit_one() on a network kept in a handle
      h.reset(new NetworkHandle());
      h->study = std::move(bn.study);
      h->t1 = std::move(bn.t1);
      h->t2 = std::move(bn.t2);
      h->y.assign(y.begin() + offset[g], y.begin() + offset[g + 1]);
      h->se.assign(se.begin() + offset[g], se.begin() + offset[g + 1]);
      h->n_study = n_study[g];
      h->n_treat = n;
      h->tol = tol_multiarm;
      f.problem = build_network(h->study, h->t1, h->t2, h->y.data(), h->se.data(),
                                h->n_study, n, tol_multiarm, h->net);
      if (f.problem.code != OK) {
        f.status = f.problem.code;
      } else {
        fit_built(h->net, bn.ref, method, tol_tau2, tau2_preset, f);
      }
    }
    const Network& net = h ? h->net : f.net;
    status[g] = f.status;
    if (f.status != OK) {
      // Placeholders keep the flat vectors aligned with the treatments.
      for (int i = 0; i < n; ++i) {
        th_r.push_back(NA_REAL); v_r.push_back(NA_REAL);
        th_c.push_back(NA_REAL); v_c.push_back(NA_REAL);
        if (rank > 0) score.push_back(NA_REAL);
        if (rank == 2) { mean_rank.push_back(NA_REAL); p_best.push_back(NA_REAL); }
      }
      if (!lean) fits[g] = R_NilValue;
      continue;
    }
    df[g] = f.df;
    df_within[g] = f.within.df_total;
    n_obs[g] = net.n_obs;
    n_designs[g] = net.designs.size();
    iterations[g] = f.tau2.iterations;
    converged[g] = f.tau2.converged;
    boundary[g] = f.tau2.boundary;
    identifiable[g] = f.tau2.identifiable;
    tau2[g] = f.tau2.tau2;
    Q[g] = f.Q;
    Q_random[g] = f.Q_random;
    Q_within[g] = f.within.Q_total;
    ll_ml[g] = f.loglik_ml;
    ll_reml[g] = f.loglik_reml;
    for (int i = 0; i < n; ++i) {
      th_r.push_back(f.theta_random(i));
      v_r.push_back(f.cov_random(i, i));
      th_c.push_back(f.theta_common(i));
      v_c.push_back(f.cov_common(i, i));
    }
    if (rank == 1) {
      VectorXd p = pscores(f.theta_random, f.cov_random, small_good);
      for (int i = 0; i < n; ++i) score.push_back(p(i));
    } else if (rank == 2) {
      RankSimulation rs = rank_simulation(
          f.theta_random, f.cov_random, bn.ref, small_good, n_sim,
          static_cast<uint64_t>(seeds[g]), [] { Rcpp::checkUserInterrupt(); });
      for (int i = 0; i < n; ++i) {
        score.push_back(rs.sucra(i));
        mean_rank.push_back(rs.mean_rank(i));
        p_best.push_back(rs.prob(i, 0));
      }
    }
    if (!lean) {
      Rcpp::List one = fit_list(f, net);
      fits[g] = Rcpp::List::create(Rcpp::Named("fit") = one,
                                   Rcpp::Named("network") = network_list(std::move(h)));
    }
  }
  return named_list(
      {"status", "n_treat", "ref", "treatments", "theta_random", "var_random",
       "theta_common", "var_common", "tau2", "Q", "df", "Q_random", "Q_within",
       "df_within", "loglik_ml", "loglik_reml", "n_obs", "n_designs", "tau2_iterations",
       "tau2_converged", "tau2_boundary", "tau2_identifiable", "score", "mean_rank",
       "p_best", "fits"},
      {status, n_treat_g, ref_g, Rcpp::IntegerVector(treat_flat.begin(), treat_flat.end()),
       to_r(th_r), to_r(v_r), to_r(th_c), to_r(v_c), tau2, Q, df, Q_random, Q_within,
       df_within, ll_ml, ll_reml, n_obs, n_designs, iterations, converged, boundary,
       identifiable, to_r(score), to_r(mean_rank), to_r(p_best), fits});
}

// The random-effects design-by-treatment interaction test that confidence()
// reads (for one fit, and for each network of a collection): Q between
// designs and its degrees of freedom at the tau^2 within designs, the
// numbers of the `random` part of inconsistency_cpp() (the same fit and
// within-design sums), without the common-effect decomposition and the
// detached designs.
// [[Rcpp::export]]
Rcpp::List design_test_cpp(Rcpp::List network, int ref) {
  ResolvedNetwork rn;
  if (!resolve_network(network, rn)) return rebuild_failure(rn.br);
  const Network& net = rn.net();
  Model model(net, ref - 1);
  const double tau2w = tau2_within_designs(net);
  FixedFit f = fixed_fit(model, tau2w);
  WithinDesigns wd = within_designs(net, tau2w);
  const int df_total = net.n_obs - (net.n_treat - 1);
  return Rcpp::List::create(Rcpp::Named("core_status") = static_cast<int>(OK),
                            Rcpp::Named("Q_between") = f.Q - wd.Q_total,
                            Rcpp::Named("df_between") = df_total - wd.df_total);
}

# Documentation of the datasets shipped in data/. How each dataset is built
# from the raw files in inst/extdata is in data-raw/.

# ---------------------------------------------------------------------------
# MSC therapy for knee osteoarthritis
# ---------------------------------------------------------------------------

#' Register of randomised trials of mesenchymal stem/stromal cells for knee osteoarthritis
#'
#' @description
#' One row per arm of each randomised controlled trial of intra-articular cell
#' therapy for knee osteoarthritis in a small, source-linked register curated
#' for this package: 35 trials and 82 arms in three treatment classes,
#' **Allo** (allogeneic mesenchymal stem/stromal cells, MSCs; 20 arms),
#' **Auto** (autologous MSCs and related autologous cell products; 24 arms)
#' and **Control** (placebo, saline, hyaluronic acid, corticosteroid,
#' conservative care or platelet-rich plasma; 36 arms). Two MSC arms (Cheng
#' 2019, Hou 2016) have no class because their sources do not say whether the
#' cells were autologous or allogeneic. Outcome values are in
#' [msc_outcomes].
#'
#' **The register is broad but the arm-level data are thin.** It is meant for
#' examples and for testing data handling (multi-arm trials, zero-event
#' adverse-event data, missing values). It is *not* fit for reproducing, or
#' drawing conclusions about, allogeneic versus autologous efficacy: no
#' allogeneic arm has follow-up efficacy data except the repeated-dose arm of
#' Matas 2019 (9 vs 8 patients, from a machine-stripped abstract).
#'
#' @details
#' ## Provenance rules
#' * Every value was read from a stored public page (journal page or abstract,
#'   registry record, or another meta-analysis's table) recorded in research
#'   notes, and every row names that page in `source`. Secondary pages are
#'   given in `note`.
#' * Nothing was imputed, back-calculated, re-rounded or guessed. The only
#'   computed values are unit conversions of weeks to months
#'   (weeks x 7 / 30.4375, rounded to one decimal: 24 weeks = 5.5 months,
#'   96 weeks = 22.1 months); the original week values are kept in `note`.
#' * Where sources disagree, the value from the primary trial source (abstract,
#'   publication or registry) is kept and the other is written in `note` after
#'   the word `ALTERNATIVE:`.
#' * **An empty value (`NA`) means "not reported or not read", never zero.**
#'   In the raw CSV file `NA` appears only in `culture_expanded`; every other
#'   `NA` in the dataset was an empty cell.
#' * The numeric columns hold the numbers as printed in the sources, converted
#'   with [as.numeric()]; the raw file (see *Source*) keeps the printed text,
#'   including trailing zeros.
#'
#' ## Inclusion
#' A randomised controlled trial with at least one cell-therapy arm and at
#' least one non-cell comparator arm. Trials are in four tiers by how much was
#' read: arm-level efficacy values (Lamo-Espinosa 2016 and 2020, Kuah 2018,
#' Garza 2020, and Matas 2019 for one arm), adverse-event counts only (Chen
#' 2021, Lee 2019, Lu 2019, Centeno 2018), design and arm sizes only, and
#' identity only. Eight trials (`vangsness2014`, `garaymendoza2018`,
#' `estrada2020`, `ruane2021`, `wong2013`, `lv2015`, `wakitani2002`,
#' `tran2019`) are known only from the table of one meta-analysis (Muthu et
#' al. 2023); their comparator, product and route of delivery were not read.
#'
#' ## Caveats
#' 1. The overlap with the 19 trials of Safwan et al. (2025, World J Stem
#'    Cells 17(8):107076) is unverified: that paper's trial list and results
#'    were not available, so nothing here is a numeric target for reproducing
#'    it.
#' 2. Medians, not means: Lamo-Espinosa 2016 reports median (IQR) without the
#'    per-arm n behind its tables; Garza 2020 gives median percent change only,
#'    with no spread and no n. Converting them to mean and SD (e.g. with
#'    [estimate_mean_sd()]) is an analysis choice, not data.
#' 3. The joint-space-width unit of Lamo-Espinosa 2016 (recorded as mm) is
#'    doubtful given the HA arm's IQR; check the source table.
#' 4. Kuah 2018 has baseline values only, and its "plus-minus" statistic is
#'    presumed to be an SD.
#' 5. Comparators differ: PRP is the comparator in Lamo-Espinosa 2020 and Ha
#'    2018; several designs are add-on (every arm got PRGF, HA or sodium
#'    hyaluronate in Lamo-Espinosa 2016 and 2020, Gupta 2016, Wang, Yang and,
#'    per one source, Hou), so the `Control` class lumps placebo, saline, HA,
#'    corticosteroid, conservative/exercise care and PRP.
#' 6. Not culture-expanded: the bone-marrow aspirate concentrate (MILES,
#'    Centeno) and stromal vascular fraction (MILES, Garza) arms are class
#'    `Auto` with `culture_expanded = FALSE`; consider a sensitivity analysis
#'    without them.
#' 7. Conflicting arm sizes: Gupta 2016 (40/20 in most sources, 20/10 in one;
#'    doses pooled), Lu 2019 (26/26 or 27/26), Lamo-Espinosa 2020 (30/30
#'    randomised vs 24/26 in one table), Ha 2018 (four-arm layout printed
#'    ambiguously), Hou 2016 (MSC + PRP or MSC + sodium hyaluronate).
#' 8. Combined arms: the Yang doses, the Gupta 2016 doses and the three MILES
#'    corticosteroid groups are each one row.
#' 9. Chen 2021: n is the safety-set denominator of the adverse-event table;
#'    its weeks 24-96 window is not cumulative.
#' 10. Lamo-Espinosa's "no adverse effects after BM-MSC administration" was
#'    coded as `ae_treatment_related` = 0 for the MSC arms only (a judgement
#'    call).
#' 11. Centeno 2018: controls crossed over at 3 months, so the two arms have
#'    different time points.
#' 12. Cheng 2019 and Hou 2016 have no class; the eight trials known only from
#'    Muthu et al. (2023) have unknown comparator, product and route.
#' 13. Several values come from mirrors and proxies (abstract copies, registry
#'    mirrors, a proxy of PubMed Central) rather than the journal page; check
#'    them against the original before publication use.
#' 14. Emadedin 2018 is in *Cytotherapy* (not *Arch Iran Med*); Khalifeh
#'    Soltani is in *Cytotherapy* (not *Cell J*), year 2018 or 2019.
#'
#' @format A data frame with 82 rows (arms) and 16 columns:
#' \describe{
#'   \item{trial_id}{Character. Short trial key: first author and year
#'     (`_nd` where the year was not read, e.g. `wang_nd`; `jointstemus2021`
#'     for the registry-only JointStem US trial).}
#'   \item{first_author, journal}{Character. As recorded; `NA` if unknown.}
#'   \item{year}{Integer. Publication year (for `jointstemus2021` the year the
#'     registry results were posted); `NA` if not read.}
#'   \item{registry_id}{Character. ClinicalTrials.gov, ANZCTR or EudraCT
#'     identifiers, separated by `;`.}
#'   \item{country}{Character. Where stated.}
#'   \item{arm}{Character. Short arm label close to the source's wording; with
#'     `trial_id` the key used by [msc_outcomes].}
#'   \item{class}{Character. `"Allo"`, `"Auto"` or `"Control"`; `NA` when not
#'     determinable (Cheng 2019 and Hou 2016 MSC arms).}
#'   \item{cell_product}{Character. E.g. `"BM-MSC"`, `"AD-MSC"`, `"UC-MSC"`,
#'     `"placenta MSC"`, `"BMAC (not culture-expanded)"`,
#'     `"SVF (not culture-expanded)"`, `"<source>-derived cells (type not
#'     read)"`; for controls `"HA"`, `"saline"`, `"placebo"`,
#'     `"corticosteroid"`, `"PRP"`, `"conservative"` or `"not read"`.}
#'   \item{culture_expanded}{Logical. `TRUE` for products labelled MSC/MPC,
#'     `FALSE` for BMAC/BMC and SVF, `NA` for controls and unknown products.
#'     Derived from the product label; stated outright in the sources only for
#'     a few trials.}
#'   \item{dose_cells}{Character. Cells per injection as text (`"40e6"`,
#'     `"50e6 x2"`, `"high dose"`).}
#'   \item{n_randomized}{Integer. Arm size randomised or allocated. Where a
#'     meta-analysis table gives an arm size without saying which kind, it is
#'     here and `note` says so.}
#'   \item{n_analysed}{Integer. Only where the source calls the number
#'     "analysed" or it is an adverse-event-table denominator.}
#'   \item{followup_months}{Numeric. Planned or reported follow-up of the arm.}
#'   \item{source}{Character, never empty. URL of the page the row's key facts
#'     (arm sizes) were read from.}
#'   \item{note}{Character. Alternatives (`ALTERNATIVE:`), secondary URLs and
#'     caveats.}
#' }
#'
#' @source Curated for fastnma from stored public web pages (journal pages and
#'   abstracts, trial registries and their mirrors, and tables of published
#'   meta-analyses); the page behind each row is in the `source` column and
#'   further pages in `note`. Raw file:
#'   `system.file("extdata", "msc_trials.csv", package = "fastnma")`; built
#'   and validated by `data-raw/msc_data.R` in the package sources.
#'
#' @references
#' Safwan M, Bourgleh MS, Baroudi L, et al. (2025). Entering the era of living
#' biopharmaceuticals for treating knee osteoarthritis: a systematic review
#' and network meta-analysis. *World Journal of Stem Cells*, 17(8), 107076.
#' \doi{10.4252/wjsc.v17.i8.107076}
#'
#' @seealso [msc_outcomes] for the outcome values,
#'   `system.file("extdata", "msc_extraction_template.csv", package =
#'   "fastnma")` for a blank extraction sheet.
#' @family datasets
#' @examples
#' head(msc_trials[, c("trial_id", "arm", "class", "n_randomized")])
#' table(msc_trials$class, useNA = "ifany")
#' # trials with arms of both classes of cell therapy
#' both <- tapply(msc_trials$class, msc_trials$trial_id,
#'                function(k) all(c("Allo", "Auto") %in% k))
#' names(both)[both]
"msc_trials"

#' Arm-level outcomes of randomised trials of MSCs for knee osteoarthritis
#'
#' @description
#' One row per arm x outcome x time point value that was actually read from a
#' source: 158 rows from 9 of the 35 trials in [msc_trials] (efficacy values
#' for Lamo-Espinosa 2016 and 2020, Kuah 2018, Garza 2020 and Matas 2019;
#' adverse-event counts for Chen 2021, Kuah 2018, Lee 2019, Lu 2019, Centeno
#' 2018, Matas 2019 and the two Lamo-Espinosa trials).
#'
#' Read the caveats in [msc_trials] first. In short: only one allogeneic arm
#' (Matas 2019, repeated dose, n = 9 vs 8 on HA, dispersion type not stated)
#' has follow-up efficacy values, so an allogeneic-versus-autologous efficacy
#' network cannot be formed; Lamo-Espinosa 2016 reports medians (IQR) without
#' per-arm n and Garza 2020 median percent change without spread or n;
#' Kuah 2018 is baseline only; `ae_serious` is the only adverse-event outcome
#' with both allogeneic (Chen, Kuah, Matas) and autologous (Lee, Lu, Centeno)
#' trials against control, and most of those trials have zero events in every
#' arm, which makes them useful for testing zero-cell handling but nearly
#' uninformative.
#'
#' @details
#' The provenance rules of [msc_trials] apply. In particular, **`NA` means
#' "not reported or not read", never zero**: `events` is 0 only where the
#' source says there were none. Values are as printed; whether a "plus-minus" statistic
#' is an SD is stated in `note` where it was not explicit. Statements that
#' could not be coded (e.g. adverse events reported only as study totals)
#' are described in the register's README and, where relevant, in `note`.
#'
#' @format A data frame with 158 rows and 16 columns:
#' \describe{
#'   \item{trial_id, arm}{Character. Arm key; every pair matches a row of
#'     [msc_trials].}
#'   \item{outcome}{Character. One of `"vas_pain"`, `"womac_pain"`,
#'     `"womac_stiffness"`, `"womac_function"`, `"womac_total"`,
#'     `"koos_pain"`, `"koos_total"` (in the vocabulary, no rows yet),
#'     `"jsw_change"` (joint-space width), `"ae_any"`,
#'     `"ae_treatment_related"`, `"ae_serious"`, `"ae_grade3plus"`.}
#'   \item{scale}{Character. Score range (`"0-10"`, `"0-100"`, `"0-20"`,
#'     `"0-8"`, `"0-68"`, `"0-96"`), percent change from baseline, or
#'     `"mm (as recorded)"`, with a qualifier where the range was not stated;
#'     `NA` for adverse-event rows and where the source gives no range.}
#'   \item{timepoint_months}{Numeric. 0 = baseline. Adverse-event rows use the
#'     end of the reporting window (Chen 2021: 5.5 = weeks 0-24, 22.1 =
#'     weeks 24-96).}
#'   \item{measure}{Character. `"endpoint"` (value at the time point) or
#'     `"change"` (change from baseline); `NA` for adverse-event rows.}
#'   \item{n}{Integer. Denominator where recorded (for adverse-event
#'     statements the arm size; see `note`).}
#'   \item{mean, sd}{Numeric. Arithmetic mean and SD as printed.}
#'   \item{median, q1, q3}{Numeric. Median and interquartile limits as
#'     printed (\eqn{q_1 \le} median \eqn{\le q_3} in every row).}
#'   \item{events}{Integer. Patients with at least one event (\eqn{\le} `n`).}
#'   \item{event_count}{Integer. Total number of events, where recorded.}
#'   \item{source}{Character, never empty. URL of the page the value was read
#'     from.}
#'   \item{note}{Character. Quotations of adverse-event statements, reporting
#'     windows, p-values and caveats.}
#' }
#'
#' @source Curated for fastnma from stored public web pages; the page behind
#'   each row is in the `source` column. Raw file:
#'   `system.file("extdata", "msc_outcomes.csv", package = "fastnma")`; built
#'   and validated by `data-raw/msc_data.R` in the package sources.
#'
#' @references
#' Safwan M, Bourgleh MS, Baroudi L, et al. (2025). Entering the era of living
#' biopharmaceuticals for treating knee osteoarthritis: a systematic review
#' and network meta-analysis. *World Journal of Stem Cells*, 17(8), 107076.
#' \doi{10.4252/wjsc.v17.i8.107076}
#'
#' @seealso [msc_trials] for the arms, their classes and the caveats;
#'   [estimate_mean_sd()] to convert medians to approximate means and SDs.
#' @family datasets
#' @examples
#' table(msc_outcomes$outcome)
#'
#' # serious adverse events, with the class of each arm
#' sae <- merge(
#'   msc_outcomes[msc_outcomes$outcome == "ae_serious",
#'                c("trial_id", "arm", "timepoint_months", "events", "n")],
#'   msc_trials[, c("trial_id", "arm", "class")]
#' )
#' sae
"msc_outcomes"

# ---------------------------------------------------------------------------
# Classic reference networks
# ---------------------------------------------------------------------------

#' Glucose-lowering agents in type 2 diabetes (Senn et al. 2013)
#'
#' @description
#' Network of 26 randomised trials comparing ten treatments for type 2
#' diabetes by their effect on HbA1c, given at contrast level (mean
#' difference and its standard error) as preprocessed for the \pkg{netmeta}
#' package (dataset `Senn2013`). One trial (`Willms1999`) has three arms and
#' contributes its three pairwise contrasts, so there are 28 rows.
#'
#' Treatment codes: `acar` acarbose, `benf` benfluorex, `metf` metformin,
#' `migl` miglitol, `piog` pioglitazone, `plac` placebo, `rosi`
#' rosiglitazone, `sita` sitagliptin, `sulf` sulfonylurea, `vild`
#' vildagliptin.
#'
#' @format A data frame with 28 rows and 5 columns:
#' \describe{
#'   \item{study}{Character. Study label.}
#'   \item{treat1, treat2}{Character. Treatments compared.}
#'   \item{TE}{Numeric. Mean difference in HbA1c, `treat1` minus `treat2`.}
#'   \item{seTE}{Numeric. Standard error of `TE`.}
#' }
#' @source Senn S, Gavini F, Magrez D, Scheen A (2013). Issues in performing
#'   a network meta-analysis. *Statistical Methods in Medical Research*,
#'   22(2), 169--189. \doi{10.1177/0962280211432220}. Copied from the input
#'   file of the package's netmeta reference results
#'   (`system.file("extdata", "Senn2013_input.csv", package = "fastnma")`).
#' @references
#' Rücker G (2012). Network meta-analysis, electrical networks and graph
#' theory. *Research Synthesis Methods*, 3(4), 312--324.
#' \doi{10.1002/jrsm.1058}
#' @family datasets
#' @examples
#' head(senn2013)
#' sort(unique(c(senn2013$treat1, senn2013$treat2)))
#' senn2013[senn2013$study == "Willms1999", ]
"senn2013"

#' Adjuvant treatments to levodopa in Parkinson's disease (Stowe et al. 2010)
#'
#' @description
#' Arm-level data from a Cochrane review of three drug classes added to
#' levodopa in patients with Parkinson's disease and motor complications:
#' dopamine agonists, catechol-O-methyl transferase inhibitors (COMTI) and
#' monoamine oxidase type B inhibitors (MAOBI), each against placebo. The
#' outcome is the mean reduction in "off" time (time spent relatively
#' immobile), in hours per day. 29 trials (5,331 patients): 28 two-arm trials
#' and one three-arm trial (`LARGO`). This is \pkg{netmeta}'s dataset
#' `Stowe2010` in long format.
#'
#' @format A data frame with 59 rows (arms) and 5 columns:
#' \describe{
#'   \item{study}{Character. Study label.}
#'   \item{treatment}{Character. `"Dopamine Agonist"`, `"COMTI"`, `"MAOBI"`
#'     or `"Placebo"`.}
#'   \item{mean}{Numeric. Mean reduction in off-time (hours per day).}
#'   \item{sd}{Numeric. Standard deviation.}
#'   \item{n}{Integer. Number of patients.}
#' }
#' @source Stowe R, Ives N, Clarke CE, Deane K, van Hilten J, Wheatley K,
#'   et al. (2010). Evaluation of the efficacy and safety of adjuvant
#'   treatment to levodopa therapy in Parkinson's disease patients with motor
#'   complications. *Cochrane Database of Systematic Reviews*, CD007166.
#'   \doi{10.1002/14651858.CD007166.pub2}. Copied from the input file of the
#'   package's netmeta reference results
#'   (`system.file("extdata", "Stowe2010_input.csv", package = "fastnma")`).
#' @references
#' Stowe R, Ives N, Clarke CE, et al. (2011). Meta-analysis of the
#' comparative efficacy and safety of adjuvant treatment to levodopa in later
#' Parkinson's disease. *Movement Disorders*, 26(4), 587--598.
#' \doi{10.1002/mds.23517}
#' @family datasets
#' @examples
#' head(stowe2010)
#' table(stowe2010$treatment)
#' stowe2010[stowe2010$study == "LARGO", ]
"stowe2010"

#' Dopamine agonists in advanced Parkinson's disease (Franchini et al. 2012)
#'
#' @description
#' Arm-level data from 7 trials comparing four dopamine agonists
#' (bromocriptine, cabergoline, pramipexole, ropinirole) and placebo as
#' adjunct therapy in advanced Parkinson's disease; the outcome is a mean
#' reduction in "off" time. One trial (`Guttman 1997`) has three arms. Used
#' as a worked example by Dias et al. (2013), where placebo is treatment 1.
#' This is \pkg{netmeta}'s dataset `Franchini2012` in long format.
#'
#' @format A data frame with 15 rows (arms) and 5 columns:
#' \describe{
#'   \item{study}{Character. Study label (`Brunt 2002` is split into groups A
#'     and B, as in the source).}
#'   \item{treatment}{Character. `"Placebo"`, `"Bromocriptine"`,
#'     `"Cabergoline"`, `"Pramipexole"` or `"Ropinirole"`.}
#'   \item{mean}{Numeric. Mean change (reduction) in the outcome.}
#'   \item{sd}{Numeric. Standard deviation.}
#'   \item{n}{Integer. Number of patients.}
#' }
#' @source Franchini AJ, Dias S, Ades AE, Jansen JP, Welton NJ (2012).
#'   Accounting for correlation in network meta-analysis with multi-arm
#'   trials. *Research Synthesis Methods*, 3(2), 142--160. Copied from the
#'   input file of the package's netmeta reference results
#'   (`system.file("extdata", "Franchini2012_input.csv", package =
#'   "fastnma")`).
#' @references
#' Dias S, Sutton AJ, Ades AE, Welton NJ (2013). Evidence synthesis for
#' decision making 2: a generalized linear modeling framework for pairwise and
#' network meta-analysis of randomized controlled trials. *Medical Decision
#' Making*, 33(5), 607--617. \doi{10.1177/0272989X12458724}
#' @family datasets
#' @examples
#' franchini2012
#' table(franchini2012$treatment)
"franchini2012"

#' Interventions for smoking cessation (Hasselblad 1998)
#'
#' @description
#' Arm-level binary data from 24 trials of four interventions to help people
#' stop smoking: `A` no contact, `B` self-help, `C` individual counselling,
#' `D` group counselling. The event is successful cessation (at 6 to 12
#' months). Two trials (`study1`, `study2`) have three arms. A classic
#' example of network meta-analysis (Lu and Ades 2006; Dias et al. 2013).
#' This is \pkg{netmeta}'s dataset `smokingcessation` in long format.
#'
#' @format A data frame with 50 rows (arms) and 4 columns:
#' \describe{
#'   \item{study}{Character. Study label (`study1` to `study24`).}
#'   \item{treatment}{Character. `"A"` to `"D"` (see Description).}
#'   \item{events}{Integer. Number of people who stopped smoking.}
#'   \item{n}{Integer. Number of people randomised to the arm.}
#' }
#' @source Hasselblad V (1998). Meta-analysis of multitreatment studies.
#'   *Medical Decision Making*, 18(1), 37--43.
#'   \doi{10.1177/0272989X9801800110}. Copied from the input file of the
#'   package's netmeta reference results
#'   (`system.file("extdata", "smokingcessation_input.csv", package =
#'   "fastnma")`).
#' @references
#' Lu G, Ades AE (2006). Assessing evidence inconsistency in mixed treatment
#' comparisons. *Journal of the American Statistical Association*, 101(474),
#' 447--459. \doi{10.1198/016214505000001302}
#'
#' Dias S, Welton NJ, Sutton AJ, Ades AE (2011, updated 2016). NICE DSU
#' Technical Support Document 2: a generalised linear modelling framework for
#' pairwise and network meta-analysis of randomised controlled trials.
#' National Institute for Health and Care Excellence, London.
#'
#' Dias S, Sutton AJ, Ades AE, Welton NJ (2013). Evidence synthesis for
#' decision making 2: a generalized linear modeling framework for pairwise and
#' network meta-analysis of randomized controlled trials. *Medical Decision
#' Making*, 33(5), 607--617. \doi{10.1177/0272989X12458724}
#' @family datasets
#' @examples
#' head(smokingcessation)
#' # crude cessation proportion by intervention
#' with(smokingcessation, tapply(events, treatment, sum) / tapply(n, treatment, sum))
"smokingcessation"

#' Safety of inhaled medications in COPD (Dong et al. 2013)
#'
#' @description
#' Arm-level mortality in 41 randomised trials (52,462 patients, 2,408
#' deaths) of inhaled medications for chronic obstructive pulmonary disease:
#' `ICS` inhaled corticosteroid, `LABA` long-acting beta-agonist,
#' `LABA-ICS` their combination, `TIO-HH` tiotropium HandiHaler, `TIO-SMI`
#' tiotropium Soft Mist Inhaler, and `Placebo`. Ten trials have three or four
#' arms. Deaths are rare: nine trials have zero deaths in some but not all
#' arms and three have none in any arm, which makes it the standard example for the Mantel-Haenszel
#' network meta-analysis of Efthimiou et al. (2019) and for zero-cell
#' handling. These are the data of \pkg{netmeta}'s dataset `Dong2013`
#' (columns `id`, `treatment`, `death`, `randomized`) with the columns named
#' `study`, `treatment`, `events`, `n`.
#'
#' @format A data frame with 99 rows (arms) and 4 columns:
#' \describe{
#'   \item{study}{Character. Study label (`study1` to `study41`).}
#'   \item{treatment}{Character. `"ICS"`, `"LABA"`, `"LABA-ICS"`,
#'     `"TIO-HH"`, `"TIO-SMI"` or `"Placebo"`.}
#'   \item{events}{Integer. Number of deaths.}
#'   \item{n}{Integer. Number of patients randomised.}
#' }
#' @source Dong Y-H, Lin H-H, Shau W-Y, Wu Y-C, Chang C-H, Lai M-S (2013).
#'   Comparative safety of inhaled medications in patients with chronic
#'   obstructive pulmonary disease: systematic review and mixed treatment
#'   comparison meta-analysis of randomised controlled trials. *Thorax*,
#'   68(1), 48--56. Copied from the input file of the package's netmeta
#'   reference results
#'   (`system.file("extdata", "Dong2013_input.csv", package = "fastnma")`).
#' @references
#' Efthimiou O, Rücker G, Schwarzer G, Higgins JPT, Egger M, Salanti G
#' (2019). Network meta-analysis of rare events using the Mantel-Haenszel
#' method. *Statistics in Medicine*, 38(16), 2992--3012.
#' \doi{10.1002/sim.8158}
#' @family datasets
#' @examples
#' head(dong2013)
#' # studies with zero deaths in every arm
#' all_zero <- tapply(dong2013$events, dong2013$study, function(e) all(e == 0))
#' names(all_zero)[all_zero]
"dong2013"

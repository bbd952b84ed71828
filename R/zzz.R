.onLoad <- function(libname, pkgname) {
  # dplyr is suggested, not imported: its generic gets the method of
  # contrast tables when (and whenever) dplyr is loaded.
  vctrs::s3_register("dplyr::dplyr_reconstruct", "nma_contrasts")
  # table-shaped results keep their class and metadata through dplyr verbs
  vctrs::s3_register("dplyr::dplyr_reconstruct", "fastnma_table")
  vctrs::s3_register("dplyr::dplyr_row_slice", "fastnma_table")
  vctrs::s3_register("dplyr::dplyr_col_modify", "fastnma_table")
  # forest() is a generic of meta (which netmeta re-exports) and of
  # metafor: whichever is attached, forest(fit) draws fastnma's forest plot
  # rather than reaching a default method that does not know the fit.
  # waldo compares networks without their compiled handle (a pointer).
  vctrs::s3_register("waldo::compare_proxy", "nma_network", compare_proxy.nma_network)
  for (generic in c("meta::forest", "metafor::forest")) {
    vctrs::s3_register(generic, "nma", forest.nma)
    vctrs::s3_register(generic, "nma_split", forest.nma_split)
  }
  invisible()
}

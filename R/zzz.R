.onLoad <- function(libname, pkgname) {
  # dplyr is suggested, not imported: its generic gets the method of
  # contrast tables when (and whenever) dplyr is loaded.
  vctrs::s3_register("dplyr::dplyr_reconstruct", "nma_contrasts")
  invisible()
}

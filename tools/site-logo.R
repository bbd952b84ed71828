# Draws the site's logo (man/figures/logo.png, shown by pkgdown in the page
# headers) and its favicons (pkgdown/favicon/, which pkgdown copies into the
# site): a small network of five treatments, its edges drawn with the width
# of their evidence. Run once after a change of the drawing:
#   tools/isolated Rscript tools/site-logo.R
draw <- function(file, size) {
  grDevices::png(file, width = size, height = size, bg = "transparent", type = "cairo")
  on.exit(grDevices::dev.off())
  graphics::par(mar = c(0, 0, 0, 0))
  graphics::plot.new()
  graphics::plot.window(c(-1.15, 1.15), c(-1.15, 1.15), asp = 1)
  graphics::symbols(0, 0, circles = 1.13, inches = FALSE, add = TRUE,
                    bg = "#0b3c5d", fg = NA)
  a <- pi / 2 + 2 * pi * (0:4) / 5
  x <- 0.68 * cos(a)
  y <- 0.68 * sin(a)
  edges <- rbind(c(1, 2), c(1, 3), c(1, 4), c(1, 5), c(2, 3), c(3, 4), c(4, 5), c(2, 5))
  w <- c(5, 3, 3, 4, 2, 1.5, 2, 1.5) * size / 64
  graphics::segments(x[edges[, 1]], y[edges[, 1]], x[edges[, 2]], y[edges[, 2]],
                     lwd = w, col = "#8fd3fe", lend = "round")
  graphics::symbols(x, y, circles = rep(0.17, 5), inches = FALSE, add = TRUE,
                    bg = c("#f2a900", rep("#ffffff", 4)), fg = NA)
}
dir.create(file.path("pkgdown", "favicon"), showWarnings = FALSE, recursive = TRUE)
draw(file.path("man", "figures", "logo.png"), 240)
for (s in c(16, 32)) draw(file.path("pkgdown", "favicon", sprintf("favicon-%dx%d.png", s, s)), s)
draw(file.path("pkgdown", "favicon", "apple-touch-icon.png"), 180)
for (s in c(120, 76, 60)) {
  draw(file.path("pkgdown", "favicon", sprintf("apple-touch-icon-%dx%d.png", s, s)), s)
}

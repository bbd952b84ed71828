# Measuring a figure as drawn. The figure is rendered to SVG with svglite,
# which writes each text element's advance width (as `textLength`, measured
# with the device's fonts); the SVG is read back with xml2 and every text
# becomes a rectangle (anchor, baseline, font size, rotation). A text is
# "outside" when its rectangle leaves the canvas or the clipping region it is
# drawn in (it would be cut), and two texts "overlap" when their rectangles
# intersect by more than a hair.

# Every text of an SVG file as a data frame: label, font size and the four
# corners of its rectangle (points, y downwards), with the clipping region.
svg_texts <- function(file) {
  doc <- xml2::read_xml(file)
  ns <- xml2::xml_ns(doc)
  root <- xml2::xml_root(doc)
  vb <- as.numeric(strsplit(xml2::xml_attr(root, "viewBox"), " ")[[1]])
  canvas <- c(x0 = vb[1], x1 = vb[1] + vb[3], y0 = vb[2], y1 = vb[2] + vb[4])
  # clip paths: id -> rectangle (svglite writes one <rect> per clipPath)
  clips <- xml2::xml_find_all(doc, "//*[local-name()='clipPath']")
  clip_rect <- list()
  for (cp in clips) {
    r <- xml2::xml_find_first(cp, "./*[local-name()='rect']")
    if (inherits(r, "xml_missing")) next
    x <- as.numeric(xml2::xml_attr(r, "x")); y <- as.numeric(xml2::xml_attr(r, "y"))
    w <- as.numeric(xml2::xml_attr(r, "width")); h <- as.numeric(xml2::xml_attr(r, "height"))
    clip_rect[[xml2::xml_attr(cp, "id")]] <- c(x0 = x, x1 = x + w, y0 = y, y1 = y + h)
  }
  nodes <- xml2::xml_find_all(doc, "//*[local-name()='text']")
  if (!length(nodes)) {
    return(list(texts = data.frame(), canvas = canvas))
  }
  label <- xml2::xml_text(nodes)
  style <- xml2::xml_attr(nodes, "style")
  size <- as.numeric(sub(".*font-size: *([0-9.]+)px.*", "\\1", style))
  len <- as.numeric(sub("px$", "", xml2::xml_attr(nodes, "textLength")))
  len[is.na(len)] <- 0
  anchor <- xml2::xml_attr(nodes, "text-anchor")
  anchor[is.na(anchor)] <- "start"
  x <- as.numeric(xml2::xml_attr(nodes, "x"))
  y <- as.numeric(xml2::xml_attr(nodes, "y"))
  tr <- xml2::xml_attr(nodes, "transform")
  angle <- numeric(length(nodes))
  has_tr <- !is.na(tr)
  if (any(has_tr)) {
    x[has_tr] <- as.numeric(sub(".*translate\\(([-0-9.e]+),.*", "\\1", tr[has_tr]))
    y[has_tr] <- as.numeric(sub(".*translate\\([-0-9.e]+, *([-0-9.e]+)\\).*", "\\1", tr[has_tr]))
    rot <- grepl("rotate", tr)
    angle[rot] <- as.numeric(sub(".*rotate\\(([-0-9.e]+)\\).*", "\\1", tr[rot]))
  }
  x[is.na(x)] <- 0
  y[is.na(y)] <- 0
  # the clipping region of each text: the nearest ancestor <g clip-path>
  clip_id <- vapply(nodes, function(n) {
    g <- xml2::xml_find_first(n, "ancestor::*[@clip-path][1]")
    if (inherits(g, "xml_missing")) return(NA_character_)
    sub("^url\\(#(.*)\\)$", "\\1", xml2::xml_attr(g, "clip-path"))
  }, character(1))
  # rectangle in text coordinates: from the anchor along the baseline, from
  # the ascent (0.72 em, a capital's height) above to the descent (0.2 em)
  # below; then rotated (SVG rotate() is clockwise in y-down coordinates)
  left <- -len * ifelse(anchor == "middle", 0.5, ifelse(anchor == "end", 1, 0))
  right <- left + len
  top <- -0.72 * size
  bottom <- 0.2 * size
  th <- angle * pi / 180
  corner <- function(u, v) {
    list(x = x + u * cos(th) - v * sin(th), y = y + u * sin(th) + v * cos(th))
  }
  c1 <- corner(left, top); c2 <- corner(right, top)
  c3 <- corner(right, bottom); c4 <- corner(left, bottom)
  texts <- data.frame(
    label = label, size = size, width = len, angle = angle,
    x1 = c1$x, y1 = c1$y, x2 = c2$x, y2 = c2$y, x3 = c3$x, y3 = c3$y,
    x4 = c4$x, y4 = c4$y, clip = clip_id, stringsAsFactors = FALSE
  )
  texts <- texts[nzchar(trimws(texts$label)) & texts$width > 0, , drop = FALSE]
  texts$xmin <- pmin(texts$x1, texts$x2, texts$x3, texts$x4)
  texts$xmax <- pmax(texts$x1, texts$x2, texts$x3, texts$x4)
  texts$ymin <- pmin(texts$y1, texts$y2, texts$y3, texts$y4)
  texts$ymax <- pmax(texts$y1, texts$y2, texts$y3, texts$y4)
  rownames(texts) <- NULL
  list(texts = texts, canvas = canvas, clips = clip_rect)
}

# Texts that leave the canvas, or the clipping region they are drawn in,
# by more than `tol` points.
texts_outside <- function(m, tol = 0.5) {
  t <- m$texts
  if (!nrow(t)) return(t)
  region <- matrix(rep(m$canvas, each = nrow(t)), nrow(t),
                   dimnames = list(NULL, names(m$canvas)))
  has_clip <- !is.na(t$clip) & t$clip %in% names(m$clips)
  for (i in which(has_clip)) {
    r <- m$clips[[t$clip[i]]]
    region[i, ] <- c(max(r[["x0"]], m$canvas[["x0"]]), min(r[["x1"]], m$canvas[["x1"]]),
                     max(r[["y0"]], m$canvas[["y0"]]), min(r[["y1"]], m$canvas[["y1"]]))
  }
  out <- t$xmin < region[, "x0"] - tol | t$xmax > region[, "x1"] + tol |
    t$ymin < region[, "y0"] - tol | t$ymax > region[, "y1"] + tol
  t[out, , drop = FALSE]
}

# Do two rectangles (given by their corners) intersect by more than `tol`
# points? Separating-axis test over the rectangles' own axes.
rect_overlap <- function(a, b, tol) {
  pa <- cbind(c(a$x1, a$x2, a$x3, a$x4), c(a$y1, a$y2, a$y3, a$y4))
  pb <- cbind(c(b$x1, b$x2, b$x3, b$x4), c(b$y1, b$y2, b$y3, b$y4))
  axes <- rbind(pa[2, ] - pa[1, ], pa[4, ] - pa[1, ], pb[2, ] - pb[1, ], pb[4, ] - pb[1, ])
  for (k in seq_len(nrow(axes))) {
    ax <- axes[k, ]
    n <- sqrt(sum(ax^2))
    if (n == 0) next
    ax <- ax / n
    qa <- pa %*% ax
    qb <- pb %*% ax
    if (min(max(qa), max(qb)) - max(min(qa), min(qb)) <= tol) return(FALSE)
  }
  TRUE
}

# Pairs of texts whose rectangles overlap by more than `tol` points in both
# directions: a data frame of the two labels.
texts_overlapping <- function(m, tol = 0.5) {
  t <- m$texts
  n <- nrow(t)
  empty <- data.frame(a = character(), b = character(), stringsAsFactors = FALSE)
  if (n < 2) return(empty)
  o <- order(t$xmin)
  t <- t[o, , drop = FALSE]
  pairs_a <- integer(); pairs_b <- integer()
  for (i in seq_len(n - 1L)) {
    j <- (i + 1L):n
    j <- j[t$xmin[j] < t$xmax[i] - tol]
    if (!length(j)) next
    j <- j[pmin(t$ymax[i], t$ymax[j]) - pmax(t$ymin[i], t$ymin[j]) > tol]
    for (jj in j) {
      if (t$angle[i] %% 90 == 0 && t$angle[jj] %% 90 == 0 ||
          rect_overlap(t[i, ], t[jj, ], tol)) {
        pairs_a <- c(pairs_a, i); pairs_b <- c(pairs_b, jj)
      }
    }
  }
  data.frame(a = t$label[pairs_a], b = t$label[pairs_b], stringsAsFactors = FALSE)
}

# Render a ggplot to SVG at width x height inches and measure it.
measure_figure <- function(p, width, height) {
  file <- tempfile(fileext = ".svg")
  on.exit(unlink(file))
  svglite::svglite(file, width = width, height = height)
  dev <- grDevices::dev.cur()
  tryCatch(print(p), finally = grDevices::dev.off(dev))
  m <- svg_texts(file)
  list(outside = texts_outside(m), overlapping = texts_overlapping(m),
       n_texts = nrow(m$texts))
}

# The figure has no text outside the canvas and no overlapping texts.
expect_legible <- function(p, width, height, label = "figure") {
  m <- measure_figure(p, width, height)
  no <- nrow(m$outside)
  nv <- nrow(m$overlapping)
  show <- function(x) paste(utils::head(x, 4), collapse = " | ")
  testthat::expect(
    no == 0 && nv == 0,
    sprintf("%s at %g x %g in: %d text(s) outside (%s); %d overlapping pair(s) (%s).",
            label, width, height, no, show(m$outside$label), nv,
            show(paste(m$overlapping$a, "/", m$overlapping$b)))
  )
  invisible(m)
}

# Reference values for remission.toxicity's Clopper-Pearson interval.
# Run from this folder: Rscript clopper_pearson.R  (writes clopper_pearson.json)
# binom.test() gives the exact (Clopper-Pearson) interval.
cases <- list(c(0, 11), c(1, 11), c(2, 11), c(3, 11), c(11, 11), c(1, 3), c(2, 3),
              c(0, 1), c(5, 20), c(17, 40))
rows <- sapply(cases, function(xn) {
  ci <- binom.test(xn[1], xn[2], conf.level = 0.95)$conf.int
  sprintf('{"x": %d, "n": %d, "lower": %.15g, "upper": %.15g}', xn[1], xn[2], ci[1], ci[2])
})
header <- sprintf('"generator": "clopper_pearson.R", "software": "%s", "function": "stats::binom.test, conf.level = 0.95"',
                  R.version.string)
writeLines(c("{", paste0("  ", header, ","), '  "cases": [',
             paste0("    ", rows, collapse = ",\n"), "  ]", "}"), "clopper_pearson.json")

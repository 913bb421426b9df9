# Times survival::coxph.fit (Efron ties) on the data written by bench_cox.py.
#
#   Rscript benchmarks/cox_r.R FILE REPEAT
#
# FILE is little-endian binary: n and p as two doubles, then the columns time, event and
# x_1..x_p (n doubles each). Prints one line per call as "seconds <wall>" (best of REPEAT
# after one warm-up call), then the coefficients and log-likelihood as "coef ..." and
# "loglik ...", so that the caller can check that both programs fitted the same model.
suppressPackageStartupMessages(library(survival))

args <- commandArgs(trailingOnly = TRUE)
path <- args[1]
repeats <- if (length(args) > 1) as.integer(args[2]) else 3L

con <- file(path, "rb")
head <- readBin(con, "double", 2L, size = 8, endian = "little")
n <- as.integer(head[1])
p <- as.integer(head[2])
time <- readBin(con, "double", n, size = 8, endian = "little")
status <- readBin(con, "double", n, size = 8, endian = "little")
x <- matrix(readBin(con, "double", n * p, size = 8, endian = "little"), n, p)
close(con)

y <- Surv(time, status)
fit_once <- function() {
  coxph.fit(x, y, strata = NULL, offset = NULL, init = NULL,
            control = coxph.control(), weights = NULL, method = "efron",
            rownames = NULL, resid = FALSE)
}
fit <- fit_once()  # warm-up
best <- Inf
for (i in seq_len(repeats)) {
  wall <- system.time(fit <- fit_once())[["elapsed"]]
  best <- min(best, wall)
}
cat("seconds", format(best, digits = 6), "\n")
cat("coef", format(fit$coefficients, digits = 15), "\n")
cat("loglik", format(fit$loglik, digits = 15), "\n")
cat("iter", fit$iter, "\n")

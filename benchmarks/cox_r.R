# Times R's Cox model (Efron ties) on the data written by bench_cox.py.
#
#   Rscript benchmarks/cox_r.R FILE REPEAT MODE
#
# FILE is little-endian binary: n and p as two doubles, then the columns time, status and
# x_1..x_p (n doubles each). MODE "fit" times survival::coxph.fit on the matrix (the
# Newton-Raphson worker: coefficients, variance, log-likelihoods, score test); MODE "full"
# times coxph(Surv(time, status) ~ x1 + ... + xp) (model frame, fit, Wald and likelihood
# ratio tests, concordance with its standard error) followed by cox.zph(fit). Prints
# "seconds <best>" (best wall-clock time of REPEAT calls after one warm-up call, measured
# inside R: start-up and reading the file are not counted), "cpu <best>" (best user +
# system time of the same calls), then "coef ..." and "loglik ..." so that the caller can
# check that both programs fitted the same model.
suppressPackageStartupMessages(library(survival))

args <- commandArgs(trailingOnly = TRUE)
path <- args[1]
repeats <- if (length(args) > 1) as.integer(args[2]) else 3L
mode <- if (length(args) > 2) args[3] else "fit"

con <- file(path, "rb")
head <- readBin(con, "double", 2L, size = 8, endian = "little")
n <- as.integer(head[1])
p <- as.integer(head[2])
time <- readBin(con, "double", n, size = 8, endian = "little")
status <- readBin(con, "double", n, size = 8, endian = "little")
x <- matrix(readBin(con, "double", n * p, size = 8, endian = "little"), n, p)
close(con)
colnames(x) <- paste0("x", seq_len(p))

y <- Surv(time, status)
df <- data.frame(time = time, status = status, x)
formula <- as.formula(paste("Surv(time, status) ~", paste(colnames(x), collapse = " + ")))

fit_once <- function() {
  coxph.fit(x, y, strata = NULL, offset = NULL, init = NULL,
            control = coxph.control(), weights = NULL, method = "efron",
            rownames = NULL, resid = FALSE)
}
full_once <- function() {
  fit <- coxph(formula, data = df, ties = "efron")
  zph <- cox.zph(fit)
  fit
}
run <- if (mode == "full") full_once else fit_once

fit <- run()  # warm-up
best <- Inf
best_cpu <- Inf
for (i in seq_len(repeats)) {
  used <- system.time(fit <- run())
  best <- min(best, used[["elapsed"]])
  best_cpu <- min(best_cpu, used[["user.self"]] + used[["sys.self"]])
}
cat("seconds", format(best, digits = 6), "\n")
cat("cpu", format(best_cpu, digits = 6), "\n")
cat("coef", format(unname(fit$coefficients), digits = 15), "\n")
cat("loglik", format(fit$loglik, digits = 15), "\n")

# Reference values for remission.stats.logrank (compare) and remission.stats.binomial.
# Run from the repository root:  Rscript tests/reference/make_reference_compare.R
# Writes tests/reference/compare.json and the data sets in tests/reference/data/.
#
# Sources of each expected value:
# - log-rank (rho = 0) and Peto-Peto (rho = 1), with and without strata: survival::survdiff.
# - Fleming-Harrington(p, q), Gehan-Breslow-Wilcoxon (weight n) and Tarone-Ware (weight
#   sqrt(n)): survdiff has only rho (= FH(rho, 0)), so `wlr()` below computes the weighted
#   test by the textbook loop (Klein & Moeschberger 2003, section 7.3); it is checked
#   against survdiff for rho = 0 and 1 before use.
# - trend: U = sum_g s_g (O_g - E_g), V = s' Var s from survdiff's obs, exp and var
#   (Collett 2015, chapter 2, "log-rank test for trend"); chi-square U^2 / V on 1 df.
# - hazard ratio (second group vs the first): Mantel-Haenszel exp((O2 - E2) / V22) with
#   CI exp(log HR +- z / sqrt(V22)); log-rank (O2/E2) / (O1/E1) with CI
#   exp(log HR +- z sqrt(1/E1 + 1/E2)) (GraphPad FAQ 1226; Machin, Cheung & Parmar 2006,
#   chapter 3), from survdiff's obs, exp and var.
# - binomial: binom.test (Clopper-Pearson), prop.test(correct = FALSE) (Wilson) and
#   prop.test(correct = TRUE) (Wilson with continuity correction).
suppressMessages(library(survival))
source("tests/reference/json_compare.R")
dir <- "tests/reference/data"

write_data <- function(df, name) {
  write.csv(df, file.path(dir, paste0(name, ".csv")), row.names = FALSE, na = "")
  df
}

aml_d <- write_data(data.frame(time = aml$time, status = aml$status,
                               x = as.character(aml$x)), "aml")
lung_d <- write_data(data.frame(time = lung$time, status = lung$status - 1,
                                ph_ecog = lung$ph.ecog, sex = lung$sex), "lung")
vet_d <- write_data(data.frame(time = veteran$time, status = veteran$status,
                               trt = veteran$trt,
                               celltype = as.character(veteran$celltype)), "veteran")
ova_d <- write_data(data.frame(time = ovarian$futime, status = ovarian$fustat,
                               rx = ovarian$rx, resid_ds = ovarian$resid.ds), "ovarian")
# small, tied: events and censorings at the same times, three groups, two strata,
# a group that has no events in stratum "b"
ties_d <- write_data(data.frame(
  time   = c(1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 5, 6, 7, 8, 8, 9, 10, 10, 12, 12),
  status = c(1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1),
  arm    = c("A", "B", "C", "A", "B", "C", "A", "B", "C", "A", "B", "C", "A", "B",
             "C", "A", "B", "C", "A", "B"),
  site   = c("a", "a", "a", "b", "b", "a", "b", "a", "b", "a", "a", "b", "b", "a",
             "a", "a", "b", "b", "a", "a")), "ties")

# weighted k-sample test by the textbook loop; wfun(n, S) gives the weight from the
# number at risk n and the pooled Kaplan-Meier S(t-) of the stratum
wlr <- function(time, status, group, strata, wfun) {
  G <- sort(unique(group)); k <- length(G)
  O <- E <- numeric(k); V <- matrix(0, k, k)
  for (s in unique(strata)) {
    i <- strata == s
    tt <- time[i]; st <- status[i]; gg <- group[i]
    S <- 1
    for (t in sort(unique(tt[st == 1]))) {
      risk <- tt >= t
      n <- sum(risk); d <- sum(tt == t & st == 1)
      ng <- vapply(G, function(g) sum(risk & gg == g), 0)
      dg <- vapply(G, function(g) sum(tt == t & st == 1 & gg == g), 0)
      w <- wfun(n, S)
      O <- O + w * dg
      E <- E + w * d * ng / n
      if (n > 1) V <- V + w^2 * d * (n - d) / (n - 1) * (diag(ng / n, k) - outer(ng, ng) / n^2)
      S <- S * (1 - d / n)
    }
  }
  list(groups = G, obs = unname(O), exp = unname(E), var = unname(V))
}

chisq <- function(O, E, V) {
  keep <- E > 0
  if (sum(keep) < 2) return(list(statistic = 0, df = 0))
  u <- ((O - E)[keep])[-1]
  v <- (V[keep, keep])[-1, -1, drop = FALSE]
  list(statistic = sum(solve(v, u) * u), df = sum(keep) - 1)
}

hazard_ratio <- function(O, E, V, level = 0.95) {
  z <- qnorm(1 - (1 - level) / 2)
  k <- (O[2] - E[2]) / V[2, 2]
  lr <- log((O[2] / E[2]) / (O[1] / E[1]))
  se <- sqrt(1 / E[1] + 1 / E[2])
  list(mantel_haenszel = c(exp(k), exp(k - z / sqrt(V[2, 2])), exp(k + z / sqrt(V[2, 2]))),
       logrank = c(exp(lr), exp(lr - z * se), exp(lr + z * se)))
}

cases <- list()
add <- function(name, data, df, group, strata, test, p = 0, q = 0) {
  d <- df[complete.cases(df[, c("time", "status", group, strata)]), ]
  g <- as.character(d[[group]])
  s <- if (is.null(strata)) rep(1, nrow(d)) else d[[strata]]
  if (test %in% c("logrank", "peto-peto", "trend")) {
    rho <- if (test == "peto-peto") 1 else 0
    f <- if (is.null(strata)) survdiff(Surv(d$time, d$status) ~ g, rho = rho)
         else survdiff(Surv(d$time, d$status) ~ g + strata(s), rho = rho)
    O <- if (is.matrix(f$obs)) rowSums(f$obs) else f$obs
    E <- if (is.matrix(f$exp)) rowSums(f$exp) else f$exp
    V <- f$var
    groups <- sub("^g=", "", names(f$n))
    chk <- wlr(d$time, d$status, g, s, function(n, S) S^rho)
    stopifnot(isTRUE(all.equal(unname(chk$obs), as.vector(O))),
              isTRUE(all.equal(unname(chk$var), unname(V))))
    if (test == "trend") {
      sc <- seq_along(O)
      u <- sum(sc * (O - E))
      res <- list(statistic = u^2 / as.numeric(t(sc) %*% V %*% sc), df = 1)
    } else {
      res <- list(statistic = f$chisq, df = length(O[E > 0]) - 1)
    }
  } else {
    wfun <- switch(test,
      "gehan-breslow-wilcoxon" = function(n, S) n,
      "tarone-ware" = function(n, S) sqrt(n),
      function(n, S) S^p * (1 - S)^q)
    w <- wlr(d$time, d$status, g, s, wfun)
    O <- w$obs; E <- w$exp; V <- w$var; groups <- w$groups
    res <- chisq(O, E, V)
  }
  lr <- wlr(d$time, d$status, g, s, function(n, S) 1)
  hr <- if (length(groups) == 2) hazard_ratio(lr$obs, lr$exp, lr$var) else NULL
  cases[[length(cases) + 1]] <<- list(
    name = name, data = data, group = group, strata = strata, test = test, p = p, q = q,
    n = nrow(d), groups = I(groups), observed = I(as.vector(O)), expected = I(as.vector(E)),
    statistic = res$statistic, df = res$df,
    p_value = pchisq(res$statistic, res$df, lower.tail = FALSE), hazard_ratio = hr)
}

for (test in c("logrank", "peto-peto", "gehan-breslow-wilcoxon", "tarone-ware"))
  add(paste("aml", test), "aml", aml_d, "x", NULL, test)
add("aml fh(0,1)", "aml", aml_d, "x", NULL, "fh", 0, 1)
add("aml fh(1,1)", "aml", aml_d, "x", NULL, "fh", 1, 1)
add("aml fh(0.5,2)", "aml", aml_d, "x", NULL, "fh", 0.5, 2)
for (test in c("logrank", "peto-peto", "gehan-breslow-wilcoxon", "tarone-ware", "trend"))
  add(paste("lung ph_ecog", test), "lung", lung_d, "ph_ecog", NULL, test)
add("lung ph_ecog fh(1,1)", "lung", lung_d, "ph_ecog", NULL, "fh", 1, 1)
add("lung sex strata ph_ecog", "lung", lung_d, "sex", "ph_ecog", "logrank")
add("lung ph_ecog strata sex", "lung", lung_d, "ph_ecog", "sex", "logrank")
add("lung ph_ecog strata sex peto", "lung", lung_d, "ph_ecog", "sex", "peto-peto")
add("lung ph_ecog strata sex fh(1,1)", "lung", lung_d, "ph_ecog", "sex", "fh", 1, 1)
add("lung ph_ecog strata sex trend", "lung", lung_d, "ph_ecog", "sex", "trend")
add("veteran celltype", "veteran", vet_d, "celltype", NULL, "logrank")
add("veteran celltype strata trt", "veteran", vet_d, "celltype", "trt", "logrank")
add("veteran celltype strata trt gbw", "veteran", vet_d, "celltype", "trt",
    "gehan-breslow-wilcoxon")
add("ovarian rx strata resid_ds", "ovarian", ova_d, "rx", "resid_ds", "logrank")
for (test in c("logrank", "peto-peto", "tarone-ware", "trend"))
  add(paste("ties", test), "ties", ties_d, "arm", NULL, test)
add("ties strata site", "ties", ties_d, "arm", "site", "logrank")
add("ties strata site fh(1,0.5)", "ties", ties_d, "arm", "site", "fh", 1, 0.5)

binomial <- list()
for (xn in list(c(10, 18), c(17, 52), c(0, 10), c(10, 10), c(3, 7), c(1, 100), c(99, 100))) {
  x <- xn[1]; n <- xn[2]
  for (level in c(0.95, 0.9)) {
    binomial[[length(binomial) + 1]] <- list(
      x = x, n = n, level = level,
      clopper_pearson = binom.test(x, n, conf.level = level)$conf.int[1:2],
      wilson = suppressWarnings(prop.test(x, n, conf.level = level, correct = FALSE)$conf.int[1:2]),
      wilson_cc = suppressWarnings(prop.test(x, n, conf.level = level, correct = TRUE)$conf.int[1:2]))
  }
}

write_json(list(versions = versions(), cases = cases, binomial = binomial),
           "tests/reference/compare.json")

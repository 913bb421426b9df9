# Reference values for Kaplan-Meier, quantiles, RMST, Nelson-Aalen and reverse-KM
# follow-up, computed by R's survival package. Writes tests/reference/km.json and the
# datasets it used to tests/reference/data/km_*.csv (so Python reads the same numbers).
#
# Run from the repository root:  Rscript tests/reference/make_reference_km.R
suppressPackageStartupMessages(library(survival))

out_dir <- "tests/reference"
data_dir <- file.path(out_dir, "data")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)

# --- a minimal JSON writer (jsonlite is not installed): atomic vectors become arrays,
# named lists objects, unnamed lists arrays; NA/NaN -> null, +-Inf -> "Inf"/"-Inf".
js <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    parts <- vapply(x, js, "")
    if (!is.null(names(x))) {
      return(paste0("{", paste0('"', names(x), '":', parts, collapse = ","), "}"))
    }
    return(paste0("[", paste(parts, collapse = ","), "]"))
  }
  if (is.factor(x)) x <- as.character(x)
  if (is.character(x)) {
    v <- ifelse(is.na(x), "null", paste0('"', x, '"'))
  } else if (is.logical(x)) {
    v <- ifelse(is.na(x), "null", ifelse(x, "true", "false"))
  } else {
    x <- as.numeric(x)
    v <- ifelse(is.na(x), "null",
      ifelse(is.infinite(x), ifelse(x > 0, '"Inf"', '"-Inf"'), sprintf("%.17g", x)))
  }
  paste0("[", paste(v, collapse = ","), "]")
}

# --- datasets ------------------------------------------------------------------------
# tiny: ties of events and censorings at the same time, last subject dies (S = 0)
tiny <- data.frame(time = c(1, 2, 2, 3, 4, 4, 5), status = c(1, 1, 0, 1, 0, 1, 1))
# ties: heavy ties, a censoring before the first event, last observation censored
ties <- data.frame(
  time = c(0.5, 2, 2, 2, 3, 3, 5, 5, 5, 5, 8, 8, 9, 12, 12),
  status = c(0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0)
)
# flat: S reaches exactly 0.5 at t = 3 and stays until t = 5 (median = 4)
flat <- data.frame(time = c(1, 2, 3, 4, 5, 6), status = c(1, 1, 1, 0, 1, 0))
# flatend: S reaches exactly 0.5 and stays until the last (censored) time
flatend <- data.frame(time = c(1, 2, 3, 4), status = c(1, 1, 0, 0))
# unreached: median not reached
unreached <- data.frame(time = c(2, 3, 4, 6, 7, 9, 10, 11), status = c(1, 0, 0, 1, 0, 0, 0, 0))
# groups: three groups, one of them with no events and one with a single subject
groups <- data.frame(
  time = c(1, 3, 3, 4, 6, 8, 9, 2, 5, 5, 7, 10, 12, 4, 6, 8, 11),
  status = c(1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1),
  arm = c(rep("A", 7), rep("B", 6), rep("C", 3), "D")
)
groups$arm[14:16] <- "C"
groups$status[14:16] <- 0
# edge cases: every subject censored; a single subject (event / censored)
allcens <- data.frame(time = c(2, 4, 4, 7), status = c(0, 0, 0, 0))
one <- data.frame(time = 3, status = 1)
onecens <- data.frame(time = 3, status = 0)
aml_d <- data.frame(time = aml$time, status = aml$status, group = as.character(aml$x))
lung_d <- data.frame(
  time = lung$time, status = lung$status - 1, sex = lung$sex, ecog = lung$ph.ecog
)
write.csv(tiny, file.path(data_dir, "km_tiny.csv"), row.names = FALSE)
write.csv(ties, file.path(data_dir, "km_ties.csv"), row.names = FALSE)
write.csv(flat, file.path(data_dir, "km_flat.csv"), row.names = FALSE)
write.csv(flatend, file.path(data_dir, "km_flatend.csv"), row.names = FALSE)
write.csv(unreached, file.path(data_dir, "km_unreached.csv"), row.names = FALSE)
write.csv(allcens, file.path(data_dir, "km_allcens.csv"), row.names = FALSE)
write.csv(one, file.path(data_dir, "km_one.csv"), row.names = FALSE)
write.csv(onecens, file.path(data_dir, "km_onecens.csv"), row.names = FALSE)
write.csv(groups, file.path(data_dir, "km_groups.csv"), row.names = FALSE)
write.csv(aml_d, file.path(data_dir, "km_aml.csv"), row.names = FALSE)
write.csv(lung_d, file.path(data_dir, "km_lung.csv"), row.names = FALSE, na = "")

# --- one fitted curve (one stratum) --------------------------------------------------
probs <- c(0.25, 0.5, 0.75)
one_curve <- function(f, label, times, taus) {
  q <- quantile(f, probs)
  s <- summary(f, times = times, extend = TRUE)
  rm <- lapply(taus, function(tau) {
    m <- survival:::survmean(f, rmean = tau)$matrix
    list(tau = tau, rmean = unname(m["rmean"]), se = unname(m["se(rmean)"]))
  })
  pm <- survival:::survmean(f, rmean = "none")$matrix
  list(
    group = label,
    n = f$n, events = sum(f$n.event), max_time = max(f$time),
    time = f$time, n_risk = f$n.risk, n_event = f$n.event, n_censor = f$n.censor,
    surv = f$surv, std_err_log = f$std.err, std_err = f$std.err * f$surv,
    lower = f$lower, upper = f$upper, cumhaz = f$cumhaz, std_chaz = f$std.chaz,
    quantile = list(p = probs, time = unname(q$quantile), lower = unname(q$lower),
      upper = unname(q$upper)),
    print_median = unname(pm[c("median", grep("LCL|UCL", names(pm), value = TRUE))]),
    at = list(time = s$time, n_risk = s$n.risk, surv = s$surv, std_err = s$std.err,
      lower = s$lower, upper = s$upper),
    rmst = rm
  )
}

fit_case <- function(name, data, group, conf_type, conf_level, times, taus) {
  fml <- if (is.null(group)) Surv(time, status) ~ 1 else
    as.formula(paste("Surv(time, status) ~", group))
  fit <- survfit(fml, data = data, conf.type = conf_type, conf.int = conf_level)
  curves <- if (is.null(fit$strata)) list(one_curve(fit, "all", times, taus)) else
    lapply(seq_along(fit$strata), function(i)
      one_curve(fit[i], sub("^[^=]*=", "", names(fit$strata)[i]), times, taus))
  list(name = name, data = paste0("km_", sub("_.*", "", name), ".csv"), group = group,
    conf_type = conf_type, conf_level = conf_level, at_times = times, curves = curves)
}

cases <- list()
add <- function(...) cases[[length(cases) + 1]] <<- fit_case(...)
spec <- list(
  list("tiny", tiny, NULL, c(0, 0.5, 1, 2.5, 5, 6), c(3, 4.5, 5, 7)),
  list("ties", ties, NULL, c(0, 1, 2, 4, 9, 12, 20), c(1, 5, 12, 15)),
  list("flat", flat, NULL, c(0, 3, 4.5, 6, 7), c(3, 6)),
  list("flatend", flatend, NULL, c(1, 3, 4, 5), c(4)),
  list("unreached", unreached, NULL, c(5, 11, 12), c(5, 11)),
  list("allcens", allcens, NULL, c(0, 4, 7, 8), c(3, 7, 9)),
  list("one", one, NULL, c(0, 3, 4), c(2, 3, 5)),
  list("onecens", onecens, NULL, c(0, 3, 4), c(2, 3, 5)),
  list("groups", groups, "arm", c(0, 3, 6, 10, 13), c(6, 10)),
  list("aml", aml_d, "group", c(12, 24, 36, 200), c(48, 100)),
  list("lung", lung_d, NULL, c(180, 365, 730, 1100), c(365, 730, 1022)),
  list("lung_sex", lung_d, "sex", c(180, 365, 730), c(365, 730)),
  list("lung_ecog", lung_d, "ecog", c(180, 365, 730), c(365, 730))
)
for (sp in spec) {
  for (ct in c("log-log", "log", "plain")) {
    for (lev in c(0.95, 0.9)) {
      add(sp[[1]], sp[[2]], sp[[3]], ct, lev, sp[[4]], sp[[5]])
    }
  }
}

# --- reverse Kaplan-Meier follow-up --------------------------------------------------
followup_case <- function(name, data, conf_type) {
  fit <- survfit(Surv(time, 1 - status) ~ 1, data = data, conf.type = conf_type)
  q <- quantile(fit, 0.5)
  alive <- data$time[data$status == 0]
  list(name = name, data = paste0("km_", name, ".csv"), conf_type = conf_type,
    reverse_km_median = list(time = unname(q$quantile), lower = unname(q$lower),
      upper = unname(q$upper)),
    alive = list(n = length(alive), median = median(alive), min = min(alive),
      max = max(alive)))
}
followups <- list()
for (nm in c("tiny", "ties", "aml", "lung")) {
  d <- get(if (nm == "aml") "aml_d" else if (nm == "lung") "lung_d" else nm)
  for (ct in c("log-log", "log", "plain")) {
    followups[[length(followups) + 1]] <- followup_case(nm, d, ct)
  }
}

doc <- list(
  generator = "tests/reference/make_reference_km.R",
  r_version = R.version.string,
  survival_version = as.character(packageVersion("survival")),
  km = cases,
  followup = followups
)
writeLines(js(doc), file.path(out_dir, "km.json"))
cat("wrote", file.path(out_dir, "km.json"), "with", length(cases), "KM cases\n")

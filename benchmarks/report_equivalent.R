# The analyses of `remission report` done in R (survival, cmprsk, base graphics), for the
# timing comparison of benchmarks/bench_report.py. Not a reference for numbers.
#
#   Rscript benchmarks/report_equivalent.R COHORT.csv CUTOFF OUTDIR [GROUP]
#
# Same work as the report: endpoints from dates (EFS, OS from HSCT and from blinatumomab;
# CIR and NRM from HSCT), Kaplan-Meier with log-log CIs at 1 and 3 years, log-rank by
# group, Aalen-Johansen cumulative incidence, reverse-KM follow-up, Table 1 (median,
# range, IQR, n (%), missing; Kruskal-Wallis and chi-square/Fisher by group), MRD
# response with a Clopper-Pearson CI, toxicity grades with exact CIs, figures as SVG and
# 300-dpi PNG, tables as CSV and an HTML page.
suppressPackageStartupMessages({library(survival); library(cmprsk)})
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE, na.strings = c("", "NA"))
cutoff <- as.Date(args[2]); out <- args[3]; grp <- if (length(args) > 3) args[4] else NA
dir.create(file.path(out, "figures"), recursive = TRUE, showWarnings = FALSE)
dir.create(file.path(out, "tables"), showWarnings = FALSE)
dt <- function(x) as.Date(x)
for (v in c("blinatumomab_start_date", "hsct_date", "relapse_date", "death_date",
            "last_followup_date")) d[[v]] <- dt(d[[v]])
end <- pmin(d$last_followup_date, cutoff, na.rm = TRUE)
endpoint <- function(name, origin) {
  o <- d[[paste0(origin, if (origin == "hsct") "_date" else "_start_date")]]
  rel <- !is.na(d$relapse_date) & d$relapse_date <= end
  dth <- !is.na(d$death_date) & d$death_date <= end
  if (name == "OS") { t <- ifelse(dth, d$death_date, end); e <- as.integer(dth) }
  else {
    first <- pmin(ifelse(rel, d$relapse_date, Inf), ifelse(dth, d$death_date, Inf))
    ev <- is.finite(first)
    t <- ifelse(ev, first, end)
    e <- if (name == "EFS") as.integer(ev) else ifelse(rel & (!dth | d$relapse_date <= d$death_date), 1L, ifelse(ev, 2L, 0L))
  }
  data.frame(time = as.numeric(t - as.numeric(o)), event = e, g = if (is.na(grp)) "all" else d[[grp]])
}
lm <- c(365.25, 1095.75)
res <- list()
for (origin in c("hsct", "blinatumomab")) for (nm in c("EFS", "OS")) {
  x <- endpoint(nm, origin)
  f <- survfit(Surv(time, event) ~ 1, data = x, conf.type = "log-log")
  res[[paste(nm, origin)]] <- summary(f, times = lm, extend = TRUE)
  fu <- survfit(Surv(time, 1 - event) ~ 1, data = x)
  res[[paste("fu", nm, origin)]] <- quantile(fu, 0.5)
  if (!is.na(grp)) {
    fg <- survfit(Surv(time, event) ~ g, data = x, conf.type = "log-log")
    res[[paste(nm, origin, "g")]] <- list(summary(fg, times = lm, extend = TRUE),
                                         survdiff(Surv(time, event) ~ g, data = x))
  }
  if (origin == "hsct") {
    for (dev in c("svg", "png")) {
      file <- file.path(out, "figures", paste0(nm, "_", origin, if (!is.na(grp)) "_g", ".", dev))
      if (dev == "svg") svg(file, 3.35, 3) else png(file, 3.35, 3, units = "in", res = 300)
      plot(if (!is.na(grp)) fg else f, mark.time = TRUE, col = seq_len(12), xscale = 30.4375,
           xlab = "Months", ylab = paste(nm, "(%)"))
      dev.off()
    }
  }
}
x <- endpoint("CIR", "hsct")
ci <- cuminc(x$time, x$event, cencode = 0)
res$cir <- timepoints(ci, lm)
for (dev in c("svg", "png")) {
  file <- file.path(out, "figures", paste0("cif.", dev))
  if (dev == "svg") svg(file, 3.35, 3) else png(file, 3.35, 3, units = "in", res = 300)
  plot(ci, xlab = "Days"); dev.off()
}
mrd <- function(v) { num <- suppressWarnings(as.numeric(v)); num[grepl("^<", v)] <- 0; num }
d$mrd_pre <- mrd(d$mrd_pre_percent); d$mrd_post <- mrd(d$mrd_post_percent)
cont <- c("age_at_blinatumomab_years", "lymphocytes_pre_1e9_per_l", "mrd_pre", "mrd_post")
cats <- c("sex", "kmt2a_rearranged", "disease_status", "cns_status", "blinatumomab_cycles",
          "crs_grade", "neurotoxicity_grade", "conditioning", "donor")
summ <- function(v) { v <- v[!is.na(v)]; q <- quantile(v, c(0, .25, .5, .75, 1))
  sprintf("%.3g (%.3g-%.3g) [%.3g-%.3g]", q[3], q[1], q[5], q[2], q[4]) }
groups <- if (is.na(grp)) list(all = d) else c(list(all = d), split(d, d[[grp]]))
rows <- list()
for (v in cont) {
  p <- if (!is.na(grp)) kruskal.test(d[[v]], factor(d[[grp]]))$p.value else NA
  rows[[v]] <- c(v, sapply(groups, function(s) summ(s[[v]])), sum(is.na(d[[v]])), p)
}
for (v in cats) {
  tab <- lapply(groups, function(s) table(factor(s[[v]], levels = sort(unique(d[[v]])))))
  p <- NA
  if (!is.na(grp)) {
    ct <- table(d[[v]], d[[grp]])
    ex <- suppressWarnings(chisq.test(ct, correct = FALSE))
    p <- if (all(ex$expected >= 5) || length(ct) > 20) ex$p.value else fisher.test(ct)$p.value
  }
  for (lev in names(tab$all)) rows[[paste(v, lev)]] <- c(v, sapply(tab, function(t)
    sprintf("%d (%.0f %%)", t[[lev]], 100 * t[[lev]] / sum(t))), sum(is.na(d[[v]])), p)
}
t1 <- do.call(rbind, rows)
write.csv(t1, file.path(out, "tables", "table1.csv"))
ok <- !is.na(d$mrd_pre) & !is.na(d$mrd_post)
resp <- d$mrd_post[ok] == 0 | log10(d$mrd_pre[ok] / d$mrd_post[ok]) >= 1
res$rate <- binom.test(sum(resp), length(resp))$conf.int
tox <- lapply(c("crs_grade", "neurotoxicity_grade"), function(v) {
  t <- table(d[[v]]); n <- sum(t)
  do.call(rbind, lapply(names(t), function(k) c(v, k, t[[k]], n, binom.test(t[[k]], n)$conf.int)))
})
write.csv(do.call(rbind, tox), file.path(out, "tables", "toxicity.csv"))
html <- c("<!DOCTYPE html><html><body><table>",
          apply(t1, 1, function(r) paste0("<tr>", paste0("<td>", r, "</td>", collapse = ""), "</tr>")),
          "</table>", lapply(list.files(file.path(out, "figures"), "svg$", full.names = TRUE),
                             function(f) paste(readLines(f), collapse = "\n")), "</body></html>")
writeLines(unlist(html), file.path(out, "report.html"))

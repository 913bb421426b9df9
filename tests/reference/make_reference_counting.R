# Reference values beyond right-censored data, computed by R's survival package:
# R's tie rule for near-equal times (timefix), counting-process data (delayed entry,
# Surv(start, stop, event)), a time-dependent exposure split by tmerge (Cox, Mantel-Byar
# as coxph's score test, Simon-Makuch curves as survfit on the split rows) and landmark
# analysis. Writes tests/reference/counting.json and its data to tests/reference/data/.
#
# Run from the repository root:  Rscript tests/reference/make_reference_counting.R
suppressPackageStartupMessages(library(survival))
source("tests/reference/json_compare.R")
dir <- "tests/reference/data"

# Data are written with 17 significant digits and read back, so that R and Python
# compute from the same doubles (write.csv keeps only 15).
write_data <- function(df, name) {
  path <- file.path(dir, paste0(name, ".csv"))
  cols <- lapply(df, function(v) {
    if (is.numeric(v)) ifelse(is.na(v), "", sprintf("%.17g", v)) else as.character(v)
  })
  lines <- c(paste(names(df), collapse = ","), do.call(paste, c(cols, sep = ",")))
  writeLines(lines, path)
  read.csv(path, colClasses = vapply(df, function(v)
    if (is.numeric(v)) "numeric" else "character", ""))
}

km_curve <- function(fit) {
  s <- summary(fit, censored = TRUE)
  strata <- if (is.null(s$strata)) rep("all", length(s$time)) else
    sub(".*=", "", as.character(s$strata))
  list(group = strata, time = s$time, n_risk = s$n.risk, n_event = s$n.event,
       n_censor = s$n.censor, surv = s$surv, std_err = s$std.err,
       lower = s$lower, upper = s$upper, cumhaz = s$cumhaz, std_chaz = s$std.chaz)
}
cox_out <- function(m) {
  stopifnot(inherits(m, "coxph"))
  s <- summary(m)
  naive <- if (is.null(m$naive.var)) NULL else unname(sqrt(diag(m$naive.var)))
  list(coef = unname(coef(m)), se = unname(sqrt(diag(vcov(m)))), naive_se = naive,
       loglik = m$loglik, score = unname(s$sctest[1]), wald = unname(m$wald.test),
       lr = unname(s$logtest[1]), n = m$n, events = m$nevent)
}

# --- 1. near-equal times: months computed two ways, 0.1 + 0.2 against 0.3 -----------------
# d / 30.4375 and d / 365.25 * 12 differ in the last bit for these days (e.g. 7, 14, 47)
days <- c(7, 7, 14, 14, 30, 47, 47, 47, 61, 92, 92, 112, 112, 152, 183, 183, 305, 365)
status <- c(1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0)
arm <- c("A", "A", "A", "B", "B", "A", "A", "B", "A", "B", "B", "A", "B", "A", "B", "B", "A", "B")
way <- rep(c(TRUE, FALSE), length.out = length(days))
months <- ifelse(way, days / 30.4375, days / 365.25 * 12)
near <- write_data(data.frame(
  time = c(months, 0.1 + 0.2, 0.3, 0.3, 0.7, 0.1 * 7),
  status = c(status, 1, 1, 0, 1, 0),
  arm = c(arm, "A", "A", "B", "A", "A")
), "near_ties")
near_cases <- list()
for (fix in c(TRUE, FALSE)) {
  fit <- survfit(Surv(time, status) ~ arm, data = near, timefix = fix, conf.type = "log-log")
  # survdiff's own timefix argument fails in survival 3.5 (model.frame picks it up);
  # survdiff merges near-equal times always, and the log-rank statistic equals coxph's
  # score test with exact ties, which honours timefix
  sd <- survdiff(Surv(time, status) ~ arm, data = near)
  ex <- coxph(Surv(time, status) ~ arm, data = near, ties = "exact",
              control = coxph.control(timefix = fix))
  m <- coxph(Surv(time, status) ~ arm, data = near, control = coxph.control(timefix = fix))
  near_cases[[length(near_cases) + 1]] <- list(
    timefix = fix, km = km_curve(fit), median = unname(quantile(fit, 0.5)$quantile),
    logrank = list(chisq = sd$chisq, observed = sd$obs, expected = sd$exp,
                   variance = sd$var, exact_score = unname(ex$score)),
    cox = cox_out(m)
  )
}

# --- 2. counting-process data: delayed entry, ties of entries, exits and events -----------
set.seed(20261130)
n <- 60
cp <- data.frame(start = round(runif(n, 0, 30)), arm = sample(c("A", "B"), n, TRUE),
                 age = round(rnorm(n, 8, 4), 1), centre = sample(c("c1", "c2", "c3"), n, TRUE))
# entries overlap the exits: risk sets at early events miss the rows that enter later
cp$stop <- cp$start + 1 + rpois(n, ifelse(cp$arm == "A", 12, 20))
cp$status <- rbinom(n, 1, 0.7)
cp <- write_data(cp[, c("start", "stop", "status", "arm", "age", "centre")], "counting")
cp_km <- km_curve(survfit(Surv(start, stop, status) ~ arm, data = cp, conf.type = "log-log"))
cp_all <- km_curve(survfit(Surv(start, stop, status) ~ 1, data = cp, conf.type = "log"))
cp_cox <- list()
for (ties in c("efron", "breslow")) {
  cp_cox[[ties]] <- cox_out(coxph(Surv(start, stop, status) ~ arm + age, data = cp, ties = ties))
}
cp_cox[["strata"]] <- cox_out(coxph(Surv(start, stop, status) ~ arm + age + strata(centre),
                                    data = cp))
# robust and cluster-robust variance (score residuals summed within centres)
cp_robust <- list(
  efron = cox_out(coxph(Surv(stop, status) ~ arm + age, data = cp, robust = TRUE)),
  breslow = cox_out(coxph(Surv(stop, status) ~ arm + age, data = cp, robust = TRUE,
                          ties = "breslow")),
  strata = cox_out(coxph(Surv(stop, status) ~ arm + age + strata(centre), data = cp,
                         robust = TRUE)),
  cluster = cox_out(coxph(Surv(stop, status) ~ arm + age, data = cp, cluster = centre)),
  cluster_entry = cox_out(coxph(Surv(start, stop, status) ~ arm + age, data = cp,
                                cluster = centre)),
  cluster_entry_breslow = cox_out(coxph(Surv(start, stop, status) ~ arm + age, data = cp,
                                        cluster = centre, ties = "breslow"))
)
cp_zph <- cox.zph(coxph(Surv(start, stop, status) ~ arm + age, data = cp), transform = "km")
zph_tr <- list()
for (tr in c("rank", "identity", "log")) {
  z <- cox.zph(coxph(Surv(start, stop, status) ~ arm + age, data = cp), transform = tr)
  zph_tr[[tr]] <- unname(z$table[, 1])
}
# the reference level chosen: arm B instead of the first sorted level A
cp_relevel <- cox_out(coxph(Surv(start, stop, status) ~ relevel(factor(arm), "B") + age,
                            data = cp))
# the log-rank test with delayed entry = coxph's score test with exact ties
cp_exact <- coxph(Surv(start, stop, status) ~ arm, data = cp, ties = "exact")
# Aalen-Johansen with delayed entry: status 2 a competing event
cp$cause <- ifelse(cp$status == 1 & cp$age > 9, 2, cp$status)
cp$id <- seq_len(nrow(cp))
aj <- survfit(Surv(start, stop, factor(cause, 0:2)) ~ 1, data = cp, id = id)
aj_out <- list(time = aj$time, n_risk = aj$n.risk[, 1], cif1 = aj$pstate[, 2],
               cif2 = aj$pstate[, 3])
invisible(write_data(cp[, c("start", "stop", "status", "arm", "age", "centre", "cause")], "counting"))

# --- weighted Kaplan-Meier: whole-number weights (Greenwood), fractional weights (R's
# default then: the robust infinitesimal jackknife), with groups and delayed entry
set.seed(11)
cw <- cp[, c("start", "stop", "status", "arm", "age", "centre")]
cw$wint <- sample(1:3, nrow(cw), TRUE)
cw$wfrac <- round(runif(nrow(cw), 0.2, 3), 3)
cw <- write_data(cw, "weighted")
weighted <- list(
  integer = km_curve(survfit(Surv(stop, status) ~ arm, data = cw, weights = wint,
                             conf.type = "log-log")),
  fraction = km_curve(survfit(Surv(stop, status) ~ arm, data = cw, weights = wfrac,
                              conf.type = "log-log")),
  fraction_greenwood = km_curve(survfit(Surv(stop, status) ~ arm, data = cw, weights = wfrac,
                                        robust = FALSE, conf.type = "log-log")),
  fraction_entry = km_curve(survfit(Surv(start, stop, status) ~ 1, data = cw,
                                    weights = wfrac, id = seq_len(nrow(cw)),
                                    conf.type = "log"))
)
wcox <- list(
  efron = cox_out(coxph(Surv(stop, status) ~ arm + age, data = cw, weights = wfrac)),
  breslow = cox_out(coxph(Surv(stop, status) ~ arm + age, data = cw, weights = wfrac,
                          ties = "breslow")),
  entry_integer = cox_out(coxph(Surv(start, stop, status) ~ arm + age, data = cw,
                                weights = wint)),
  robust = cox_out(coxph(Surv(stop, status) ~ arm + age, data = cw, weights = wfrac,
                         robust = TRUE)),
  cluster_entry = cox_out(coxph(Surv(start, stop, status) ~ arm + age, data = cw,
                                weights = wfrac, cluster = centre))
)
wzph <- cox.zph(coxph(Surv(stop, status) ~ arm + age, data = cw, weights = wfrac))
wcox$efron$zph <- unname(wzph$table[, 1])

# --- 3. time-dependent exposure (HSCT): tmerge, Cox, Mantel-Byar, Simon-Makuch, landmark --
set.seed(7)
n <- 80
base <- data.frame(id = sprintf("P%02d", 1:n))
death <- round(rexp(n, 1 / 500)) + 1
cens <- round(runif(n, 200, 1200))
base$time <- pmin(death, cens)
base$death <- as.integer(death <= cens)
planned <- round(runif(n, 40, 250))
# some patients are transplanted (never if they die or leave first); a few at day 0
base$hsct <- ifelse(runif(n) < 0.6 & planned < base$time, planned, NA)
base$hsct[c(3, 4)] <- c(0, base$time[4])
base <- write_data(base, "hsct")
split <- tmerge(base[, c("id", "time", "death")], base, id = id,
                death = event(time, death))
split <- tmerge(split, base, id = id, hsct = tdc(hsct))
split$hsct[is.na(split$hsct)] <- 0
td_cox <- list(efron = cox_out(coxph(Surv(tstart, tstop, death) ~ hsct, data = split)),
               breslow = cox_out(coxph(Surv(tstart, tstop, death) ~ hsct, data = split,
                                       ties = "breslow")),
               cluster_id = cox_out(coxph(Surv(tstart, tstop, death) ~ hsct, data = split,
                                          cluster = id)),
               # (with exact ties on start-stop rows coxph returns a bare list)
               exact = with(coxph(Surv(tstart, tstop, death) ~ hsct, data = split,
                                  ties = "exact"), list(score = unname(score), loglik = loglik)))
sm <- km_curve(survfit(Surv(tstart, tstop, death) ~ hsct, data = split,
                       conf.type = "log-log"))
landmarks <- list()
for (lm in c(100, 180)) {
  sub <- base[base$time > lm, ]
  sub$t <- sub$time - lm
  sub$exposed <- as.integer(!is.na(sub$hsct) & sub$hsct <= lm)
  fit <- survfit(Surv(t, death) ~ exposed, data = sub, conf.type = "log-log")
  sd <- survdiff(Surv(t, death) ~ exposed, data = sub)
  landmarks[[length(landmarks) + 1]] <- list(landmark = lm, n = nrow(sub), km = km_curve(fit),
                                             chisq = sd$chisq, observed = sd$obs,
                                             expected = sd$exp)
}
naive <- survdiff(Surv(time, death) ~ !is.na(hsct), data = base)

write_json(list(
  versions = versions(),
  near_ties = near_cases,
  counting = list(km = cp_km, km_all = cp_all, cox = cp_cox,
                  zph = list(chisq = unname(cp_zph$table[, 1]), df = unname(cp_zph$table[, 2])),
                  zph_transforms = zph_tr, cox_reference_b = cp_relevel, robust = cp_robust,
                  logrank_exact_score = unname(cp_exact$score),
                  aalen_johansen = aj_out, weighted = weighted,
                  weighted_cox = wcox),
  hsct = list(split = list(id = split$id, tstart = split$tstart, tstop = split$tstop,
                           death = split$death, hsct = split$hsct),
              cox = td_cox, simon_makuch = sm, landmarks = landmarks,
              naive_chisq = naive$chisq)
), "tests/reference/counting.json")

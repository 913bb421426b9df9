# Reference values for remission's Cox model: coxph, cox.zph and concordance from R's
# survival package, written to tests/reference/cox.json.
#
#   Rscript tests/reference/make_reference_cox.R      (from the repository root)
#
# The data are R's bundled lung, ovarian and veteran sets plus three small generated
# ones (fixed seed); each is written to tests/reference/data/cox_*.csv and READ BACK, so
# R fits exactly the numbers Python reads. jsonlite is not needed: JSON is written by
# hand with 17 significant digits.
suppressPackageStartupMessages(library(survival))

dir <- "tests/reference/data"
num <- function(x) {
  if (length(x) == 0 || is.na(x) || !is.finite(x)) return("null")
  sprintf("%.17g", x)
}
str_json <- function(s) paste0('"', gsub('"', '\\\\"', s), '"')
vec <- function(x) paste0("[", paste(vapply(x, num, ""), collapse = ", "), "]")
svec <- function(x) paste0("[", paste(vapply(x, str_json, ""), collapse = ", "), "]")
obj <- function(...) {
  kv <- list(...)
  paste0("{", paste(sprintf('"%s": %s', names(kv), unlist(kv)), collapse = ", "), "}")
}
roundtrip <- function(df, name) {
  path <- file.path(dir, paste0("cox_", name, ".csv"))
  write.csv(df, path, row.names = FALSE, na = "")
  read.csv(path, stringsAsFactors = FALSE)
}

# --- data --------------------------------------------------------------------------------
lung2 <- with(lung, data.frame(time = time, dead = status - 1, age = age,
                               sex = ifelse(sex == 1, "M", "F"), ph.ecog = ph.ecog,
                               ph.karno = ph.karno, wt.loss = wt.loss, inst = inst))
lung2 <- roundtrip(lung2, "lung")
ovarian2 <- roundtrip(ovarian, "ovarian")
vet <- veteran
vet$celltype <- as.character(vet$celltype)
vet <- roundtrip(vet, "veteran")

set.seed(20240611)
n <- 60  # small, heavily tied: times 1..6, censorings at event times, three strata
small <- data.frame(time = sample(1:6, n, replace = TRUE), status = rbinom(n, 1, 0.6),
                    x = round(rnorm(n), 2), grp = sample(c("a", "b", "c"), n, TRUE),
                    centre = sample(c("north", "south"), n, TRUE))
small <- roundtrip(small, "small")

# a stratum without events (centre "west" is all censored)
zero <- data.frame(time = c(sample(1:20, 40, TRUE), sample(1:20, 10, TRUE)),
                   status = c(rbinom(40, 1, 0.7), rep(0, 10)),
                   x = round(rnorm(50), 2),
                   centre = c(sample(c("east", "north"), 40, TRUE), rep("west", 10)))
zero <- roundtrip(zero, "zero_stratum")

# separation: every subject with marker = 1 dies before any with marker = 0 is at risk
# without them, so the likelihood is monotone in the marker's coefficient
sep <- data.frame(time = 1:24, status = c(rep(1, 10), rbinom(14, 1, 0.6)),
                  marker = c(rep(1, 10), rep(0, 14)), age = round(rnorm(24, 60, 8)))
sep <- roundtrip(sep, "separation")

# --- fits ---------------------------------------------------------------------------------
fit_case <- function(name, file, formula, data, ties, time, event, covariates,
                     strata = NULL) {
  # the call names the data set, so that cox.zph can find it again
  call <- substitute(coxph(f, data = D, ties = T),
                     list(f = formula, D = as.name(data), T = ties))
  fit <- suppressWarnings(eval(call, globalenv()))
  df <- sum(!is.na(coef(fit)))
  z <- cox.zph(fit)
  tab <- z$table
  terms <- rownames(tab)[rownames(tab) != "GLOBAL"]
  zph_rows <- vapply(seq_along(terms), function(i) obj(term = str_json(terms[i]),
      chisq = num(tab[i, "chisq"]), df = num(tab[i, "df"]), p_value = num(tab[i, "p"])), "")
  g <- tab["GLOBAL", ]
  # the other time transforms: chisq per term and GLOBAL
  other <- vapply(c("identity", "rank", "log"), function(tf)
    sprintf('"%s": %s', tf, vec(cox.zph(fit, transform = tf)$table[, "chisq"])), "")
  cc <- fit$concordance
  warn <- character(0)
  withCallingHandlers(eval(call, globalenv()),
                      warning = function(w) {warn <<- c(warn, conditionMessage(w))
                                             invokeRestart("muffleWarning")})
  obj(
    name = str_json(name), file = str_json(file), ties = str_json(ties),
    time = str_json(time), event = str_json(event), covariates = svec(covariates),
    strata = if (is.null(strata)) "null" else str_json(strata),
    n = num(fit$n), events = num(fit$nevent), iterations = num(fit$iter),
    names = svec(names(coef(fit))), coef = vec(coef(fit)),
    se = vec(sqrt(diag(fit$var))),
    # unrounded (summary.coxph rounds its tests): df = number of estimated coefficients
    loglik = vec(fit$loglik), score = vec(c(fit$score, df)),
    wald = vec(c(fit$wald.test, df)),
    likelihood_ratio = vec(c(2 * diff(fit$loglik), df)),
    concordance = vec(c(cc["concordance"], cc["std"])),
    concordance_counts = vec(cc[c("concordant", "discordant", "tied.x", "tied.y",
                                  "tied.xy")]),
    zph = paste0("[", paste(zph_rows, collapse = ", "), "]"),
    zph_global = obj(chisq = num(g["chisq"]), df = num(g["df"]), p_value = num(g["p"])),
    zph_transforms = paste0("{", paste(other, collapse = ", "), "}"),
    r_warnings = svec(warn)
  )
}

cases <- list()
add <- function(...) cases[[length(cases) + 1]] <<- fit_case(...)
for (ties in c("efron", "breslow")) {
  add(paste0("lung_", ties), "cox_lung.csv", Surv(time, dead) ~ age + sex + ph.ecog,
      "lung2", ties, "time", "dead", c("age", "sex", "ph.ecog"))
  add(paste0("lung_strata_", ties), "cox_lung.csv",
      Surv(time, dead) ~ age + ph.ecog + strata(sex), "lung2", ties, "time", "dead",
      c("age", "ph.ecog"), "sex")
  add(paste0("lung_missing_", ties), "cox_lung.csv",
      Surv(time, dead) ~ age + wt.loss + ph.karno, "lung2", ties, "time", "dead",
      c("age", "wt.loss", "ph.karno"))
  add(paste0("ovarian_", ties), "cox_ovarian.csv",
      Surv(futime, fustat) ~ age + rx + resid.ds + ecog.ps, "ovarian2", ties, "futime",
      "fustat", c("age", "rx", "resid.ds", "ecog.ps"))
  add(paste0("veteran_", ties), "cox_veteran.csv",
      Surv(time, status) ~ trt + celltype + karno + diagtime + age + prior, "vet", ties,
      "time", "status", c("trt", "celltype", "karno", "diagtime", "age", "prior"))
  add(paste0("veteran_strata_", ties), "cox_veteran.csv",
      Surv(time, status) ~ trt + karno + strata(celltype), "vet", ties, "time", "status",
      c("trt", "karno"), "celltype")
  add(paste0("small_ties_", ties), "cox_small.csv",
      Surv(time, status) ~ x + grp + strata(centre), "small", ties, "time", "status",
      c("x", "grp"), "centre")
  add(paste0("zero_stratum_", ties), "cox_zero_stratum.csv",
      Surv(time, status) ~ x + strata(centre), "zero", ties, "time", "status", c("x"),
      "centre")
  add(paste0("separation_", ties), "cox_separation.csv",
      Surv(time, status) ~ marker + age, "sep", ties, "time", "status", c("marker", "age"))
}

out <- paste0(
  "{\n",
  '"generator": "tests/reference/make_reference_cox.R",\n',
  '"r_version": ', str_json(R.version.string), ",\n",
  '"survival_version": ', str_json(as.character(packageVersion("survival"))), ",\n",
  '"cases": [\n', paste(unlist(cases), collapse = ",\n"), "\n]\n}\n")
writeLines(out, "tests/reference/cox.json", sep = "")
cat("wrote tests/reference/cox.json with", length(cases), "cases\n")

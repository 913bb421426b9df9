# Reference values for the bundled seed cohort, computed independently by R: time and
# status of EFS and OS from HSCT and from blinatumomab start (date arithmetic in R), and
# the Kaplan-Meier estimate at 1 and 3 years (survival::survfit, Greenwood/log CI default).
# Writes tests/datasets/reference/seed_km.json.
#
# Run from the repository root:  Rscript tests/datasets/reference/make_seed_km.R
suppressPackageStartupMessages(library(survival))

num <- function(x) sprintf("%.17g", x)
arr <- function(v, f = num) paste0("[", paste(f(v), collapse = ","), "]")
str_arr <- function(v) arr(v, function(x) paste0('"', x, '"'))

seed <- read.csv("src/remission/datasets/seed_cohort.csv", colClasses = "character")
d <- function(col) as.Date(ifelse(seed[[col]] == "", NA, seed[[col]]))
cutoff <- as.Date("2019-12-31")  # seed_study.yaml: data_cutoff_date
last <- pmin(d("last_followup_date"), cutoff)
efs_date <- pmin(d("relapse_date"), d("second_malignancy_date"), d("death_date"), na.rm = TRUE)
os_date <- d("death_date")

entries <- c()
for (origin in c("hsct", "blinatumomab")) {
  start <- if (origin == "hsct") d("hsct_date") else d("blinatumomab_start_date")
  for (endpoint in c("EFS", "OS")) {
    ev <- if (endpoint == "EFS") efs_date else os_date
    status <- as.integer(!is.na(ev) & ev <= last)
    stop <- last
    stop[status == 1] <- ev[status == 1]
    time <- as.numeric(stop - start)
    fit <- survfit(Surv(time, status) ~ 1)
    s <- summary(fit, times = c(365.25, 3 * 365.25), extend = TRUE)$surv
    entries <- c(entries, sprintf(
      '"%s_%s":{"patient_id":%s,"time":%s,"status":%s,"surv_1y":%s,"surv_3y":%s}',
      endpoint, origin, str_arr(seed$patient_id), arr(time), arr(status), num(s[1]), num(s[2])
    ))
  }
}
meta <- sprintf('"_meta":{"r_version":"%s","survival_version":"%s","script":"%s"}',
  R.version.string, as.character(packageVersion("survival")),
  "tests/datasets/reference/make_seed_km.R")
writeLines(paste0("{", paste(c(meta, entries), collapse = ","), "}"),
  "tests/datasets/reference/seed_km.json")

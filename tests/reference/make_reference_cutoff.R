# Reference values for the data cut-off (issue 10): Kaplan-Meier of OS and EFS from HSCT
# on tests/reference/data/cutoff_cohort.csv, truncated at the cut-off BY HAND here
# (an event after the cut-off is censored at the cut-off; follow-up ends at the earlier
# of last follow-up and the cut-off), then survival::survfit with conf.type "log-log".
# remission must give the same numbers from the untruncated file with --data-cutoff.
# Writes tests/reference/cutoff.json.
#
# Run from the repository root:  Rscript tests/reference/make_reference_cutoff.R
suppressPackageStartupMessages(library(survival))

source("tests/reference/json_compare.R")  # write_json(), versions()

cutoff <- as.Date("2020-06-30")
d <- read.csv("tests/reference/data/cutoff_cohort.csv", colClasses = "character")
for (col in c("hsct_date", "relapse_date", "death_date", "last_followup_date")) {
  d[[col]] <- as.Date(ifelse(d[[col]] == "", NA, d[[col]]))
}

truncate <- function(event_date) {
  end <- pmin(d$last_followup_date, cutoff)
  happened <- !is.na(event_date) & event_date <= end
  stop <- ifelse(happened, event_date, end)
  list(time = as.numeric(stop - as.numeric(d$hsct_date)), status = as.integer(happened),
       after = I(sum(!is.na(event_date) & event_date > cutoff)))
}

fit_of <- function(tr) {
  f <- survfit(Surv(tr$time, tr$status) ~ 1, conf.type = "log-log")
  list(time = f$time, n_risk = f$n.risk, n_event = f$n.event, n_censor = f$n.censor,
       surv = f$surv, std_err_log = f$std.err, lower = f$lower, upper = f$upper,
       events_after_cutoff = tr$after)
}

efs_date <- pmin(d$relapse_date, d$death_date, na.rm = TRUE)
out <- list(
  versions = versions(),
  data_cutoff = format(cutoff),
  OS = fit_of(truncate(d$death_date)),
  EFS = fit_of(truncate(efs_date))
)
write_json(out, "tests/reference/cutoff.json")

# Reference values for MRD covariates in remission's Cox model (docs/methods-cox.md):
# EFS from HSCT in the bundled seed cohort, computed here from its dates, with
#   - mrd_pre_percent as log10 of the level (a blank result is NA: complete case), and
#   - mrd_post_percent as categories at cut-points 0.01 and 0.1 per cent
#     (negative / <0.01% / 0.01-<0.1% / >=0.1%, reference negative).
# Written to tests/reference/mrd_covariate.json.
#
#   Rscript tests/reference/make_reference_mrd_covariate.R      (from the repository root)
suppressPackageStartupMessages(library(survival))
source("tests/reference/json_compare.R")

seed <- read.csv("src/remission/datasets/seed_cohort.csv", stringsAsFactors = FALSE,
                 na.strings = "")
d <- function(x) as.Date(x)
first <- pmin(d(seed$relapse_date), d(seed$second_malignancy_date), d(seed$death_date),
              na.rm = TRUE)
seed$event <- as.integer(!is.na(first))
seed$time <- as.numeric(ifelse(is.na(first), d(seed$last_followup_date), first) -
                          as.numeric(d(seed$hsct_date)))

# log10: every pre-treatment result of the seed is a number or blank
seed$log_pre <- log10(as.numeric(seed$mrd_pre_percent))
fit_log <- coxph(Surv(time, event) ~ log_pre, data = seed)

post <- seed$mrd_post_percent
negative <- grepl("^<", post)
level <- suppressWarnings(as.numeric(post))
labels <- c("negative", "<0.01%", "0.01-<0.1%", ">=0.1%")
cat_post <- ifelse(negative, "negative",
                   labels[2 + findInterval(level, c(0.01, 0.1))])
seed$cat_post <- factor(cat_post, levels = labels[labels %in% cat_post])
fit_cut <- coxph(Surv(time, event) ~ cat_post, data = seed)

one <- function(fit) list(
  n = fit$n, events = fit$nevent, coef = unname(coef(fit)),
  se = unname(sqrt(diag(vcov(fit)))), loglik = fit$loglik, names = names(coef(fit)),
  excluded = length(fit$na.action)
)
write_json(list(versions = versions(), log10_pre = one(fit_log), cut_post = one(fit_cut)),
           "tests/reference/mrd_covariate.json")

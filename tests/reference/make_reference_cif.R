# Reference values for remission.stats.cif (Aalen-Johansen cumulative incidence) and
# remission.stats.gray (Gray's test), from cmprsk::cuminc and cmprsk::timepoints.
# Run from the repository root:  Rscript tests/reference/make_reference_cif.R
# Writes tests/reference/cif.json and tests/reference/data/{crsim,crties}.csv.
suppressMessages(library(cmprsk))
source("tests/reference/json_compare.R")
dir <- "tests/reference/data"

# simulated: 240 patients, three groups, two strata, causes 1 and 2 and censoring (0),
# integer days so that events of both causes and censorings tie
set.seed(20261125)
n <- 240
grp <- sample(c("A", "B", "C"), n, replace = TRUE)
site <- sample(c("north", "south"), n, replace = TRUE)
rate1 <- c(A = 0.002, B = 0.003, C = 0.0045)[grp]
t1 <- rexp(n, rate1); t2 <- rexp(n, 0.002); tc <- runif(n, 100, 900)
time <- ceiling(pmin(t1, t2, tc) / 7) * 7
status <- ifelse(tc <= pmin(t1, t2), 0, ifelse(t1 < t2, 1, 2))
crsim <- data.frame(time = time, status = status, group = grp, site = site)
write.csv(crsim, file.path(dir, "crsim.csv"), row.names = FALSE)

# small, hand-checkable, ties of both causes and censorings, the largest time an event,
# three causes
crties <- data.frame(
  time   = c(1, 1, 2, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 9, 9),
  status = c(1, 2, 1, 0, 2, 1, 3, 1, 0, 2, 2, 1, 0, 1, 2),
  group  = c(1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1))
write.csv(crties, file.path(dir, "crties.csv"), row.names = FALSE)

curves <- function(fit, times) {
  tp <- timepoints(fit, times)
  lapply(rownames(tp$est), function(nm) {
    parts <- strsplit(nm, " ")[[1]]
    list(group = parts[1], cause = parts[2], times = I(times),
         estimate = I(as.vector(tp$est[nm, ])), variance = I(as.vector(tp$var[nm, ])))
  })
}
tests <- function(fit) {
  if (is.null(fit$Tests)) return(list())
  tt <- fit$Tests
  lapply(rownames(tt), function(c) list(cause = c, statistic = tt[c, "stat"],
                                        df = tt[c, "df"], p_value = tt[c, "pv"]))
}

cases <- list()
add <- function(name, data, d, group = NULL, strata = NULL, rho = 0) {
  times <- sort(unique(c(0, d$time, d$time + 0.5, max(d$time) + 10)))
  args <- list(ftime = d$time, fstatus = d$status, rho = rho)
  if (!is.null(group)) args$group <- d[[group]]
  if (!is.null(strata)) args$strata <- d[[strata]]
  fit <- do.call(cuminc, args)
  cases[[length(cases) + 1]] <<- list(
    name = name, data = data, group = group, strata = strata, rho = rho,
    curves = curves(fit, times), gray = tests(fit))
}
add("crsim one group", "crsim", crsim)
add("crsim by group", "crsim", crsim, "group")
add("crsim by group strata site", "crsim", crsim, "group", "site")
add("crsim by group rho 1", "crsim", crsim, "group", rho = 1)
add("crsim by site strata group", "crsim", crsim, "site", "group")
add("crties by group", "crties", crties, "group")
add("crties one group", "crties", crties)

write_json(list(versions = versions(), cases = cases), "tests/reference/cif.json")

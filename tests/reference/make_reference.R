# Regenerates every R reference fixture of the test suite. Run from the repository root:
#   Rscript tests/reference/make_reference.R
# Needs R with the survival and cmprsk packages (Debian: r-cran-survival, r-cran-cmprsk).
# Each script writes its JSON fixture (with the R and package versions) beside itself;
# the fixtures are committed, so the test suite itself needs no R.
scripts <- c(
  Sys.glob("tests/reference/make_reference_*.R"),
  "tests/datasets/reference/make_seed_km.R"
)
# scripts that are run from their own folder
local_scripts <- c("tests/toxicity/reference/clopper_pearson.R")
for (s in scripts) {
  if (!file.exists(s)) next
  message("running ", s)
  status <- system2(file.path(R.home("bin"), "Rscript"), s)
  if (status != 0) stop("failed: ", s)
}
for (s in local_scripts) {
  message("running ", s)
  old <- setwd(dirname(s))
  status <- system2(file.path(R.home("bin"), "Rscript"), basename(s))
  setwd(old)
  if (status != 0) stop("failed: ", s)
}

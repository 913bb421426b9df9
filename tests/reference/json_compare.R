# Minimal JSON writer for the reference scripts (jsonlite is not installed here).
# Numbers are written with 17 significant digits; NA/NaN/Inf become null; a named list is
# an object, an unnamed list or a vector of length != 1 is an array. Wrap a length-1
# vector in I() to force an array.
to_json <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    nm <- names(x)
    if (!is.null(nm)) {
      parts <- vapply(seq_along(x), function(i)
        paste0('"', nm[i], '": ', to_json(x[[i]])), "")
      return(paste0("{", paste(parts, collapse = ", "), "}"))
    }
    return(paste0("[", paste(vapply(x, to_json, ""), collapse = ", "), "]"))
  }
  if (is.matrix(x)) {
    return(to_json(lapply(seq_len(nrow(x)), function(i) as.vector(x[i, ]))))
  }
  one <- function(v) {
    if (is.na(v) || (is.numeric(v) && !is.finite(v))) return("null")
    if (is.character(v) || is.factor(v)) return(paste0('"', as.character(v), '"'))
    if (is.logical(v)) return(if (v) "true" else "false")
    sprintf("%.17g", v)
  }
  vals <- vapply(as.list(x), one, "")
  if (length(x) == 1 && !inherits(x, "AsIs")) return(vals)
  paste0("[", paste(vals, collapse = ", "), "]")
}
write_json <- function(x, path) writeLines(to_json(x), path)
versions <- function() list(
  R = R.version.string,
  survival = as.character(packageVersion("survival")),
  cmprsk = as.character(packageVersion("cmprsk"))
)

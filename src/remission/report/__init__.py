"""The study report: tables, figures, HTML and the claims audit."""

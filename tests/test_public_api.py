"""The public surface is exactly what is intended, and every name in it exists."""

import remission
import remission.cohort
import remission.stats

EXPECTED = {
    "Cohort", "ConvergenceWarning", "CoxResult", "EndpointData", "EuroMRDRules", "FollowupResult", "InputError", "KMResult", "MRDQualifier",
    "MRDResponse", "MRDValue", "Problem", "__version__", "assess_response", "binomial_ci", "cif", "compare", "count_table", "cox", "derive_endpoint", "load_seed_cohort",
    "export_figure", "plot_cif", "plot_km",
    "followup", "grade_observations", "interpret_run", "km", "load_cohort", "parse_mrd",
    "read_observations", "read_run", "summarise_max_grades", "summarise_patients",
    "summarise_recorded_grades", "write_cohort",
    "landmark", "mantel_byar", "simon_makuch", "split_at_exposure",
}  # fmt: skip


def test_top_level_surface():
    assert set(remission.__all__) == EXPECTED


def test_every_exported_name_exists():
    for mod in (remission, remission.cohort, remission.stats):
        missing = [n for n in mod.__all__ if not hasattr(mod, n)]
        assert not missing, f"{mod.__name__} exports missing names: {missing}"


def test_import_remission_does_not_load_matplotlib():
    """The figure functions are imported on first use (``remission plot --help`` stays fast)."""
    import subprocess
    import sys

    code = ("import sys, remission; from remission.cli import build_parser; build_parser(only='plot'); "
            "assert 'matplotlib' not in sys.modules; remission.plot_km; "
            "assert 'matplotlib' in sys.modules")  # fmt: skip
    subprocess.run([sys.executable, "-c", code], check=True)

"""The light choice lists of the parsers equal the values of their layers, and building a
command's parser (``--help``, argument errors) imports no numerical library."""

import dataclasses
import subprocess
import sys

from remission.cli import _choices


def test_every_copy_equals_its_source():
    from remission.mrd.response import SCHEMES
    from remission.mrd.rules import BACKGROUND_LEVEL_AS, EuroMRDRules
    from remission.stats.km import CONF_TYPES
    from remission.stats.logrank import TESTS
    from remission.stats.zph import TRANSFORMS
    from remission.toxicity import CAPD_AGE_RULES, ASTCTRules, GradingSystem

    assert _choices.CONF_TYPES == CONF_TYPES and _choices.TESTS == TESTS
    assert _choices.TRANSFORMS == TRANSFORMS and _choices.SCHEMES == SCHEMES
    assert _choices.BACKGROUND_LEVEL_AS == BACKGROUND_LEVEL_AS
    assert _choices.CAPD_AGE_RULES == CAPD_AGE_RULES
    assert _choices.GRADING_SYSTEMS == tuple(s.value for s in GradingSystem)
    mrd = dataclasses.asdict(EuroMRDRules())
    assert _choices.EUROMRD_DEFAULTS == {k: mrd[k] for k in _choices.EUROMRD_DEFAULTS}
    astct = dataclasses.asdict(ASTCTRules())
    assert _choices.ASTCT_DEFAULTS == {k: astct[k] for k in _choices.ASTCT_DEFAULTS}


_HEAVY = ("numpy", "pandas", "scipy", "matplotlib", "pyarrow", "duckdb", "yaml")

_PROBE = """
import contextlib, io, sys
from remission.cli import _summaries, build_parser, main
names = [name for _, name, _ in _summaries()]
for name in names:
    build_parser(only=name)
    for argv in ([name, "--help"], [name, "--no-such-option"]):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                main(argv)
            except SystemExit:
                pass
print(len(names), " ".join(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1:]))))
"""


def test_help_and_argument_errors_import_no_numerical_library():
    out = subprocess.run([sys.executable, "-c", _PROBE, *_HEAVY], capture_output=True,
                         text=True, check=True).stdout.split()  # fmt: skip
    assert int(out[0]) >= 18  # every command was built
    assert out[1:] == []  # none of them imported a heavy library

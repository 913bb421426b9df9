"""natural_order: the natural_key order of identifiers, vectorised for the usual shape."""

from hypothesis import given, settings
from hypothesis import strategies as st


@settings(deadline=None)
@given(st.lists(st.from_regex(r"[A-Za-z_\- ]{0,3}[0-9]{1,7}[A-Za-z]{0,2}", fullmatch=True),
                unique=True, max_size=60))  # fmt: skip
def test_natural_order_is_the_natural_key_order(ids):
    from remission.cohort.infer import natural_key, natural_order

    assert [ids[i] for i in natural_order(ids)] == sorted(ids, key=natural_key)


@settings(deadline=None)
@given(st.lists(st.text(max_size=6), unique=True, max_size=30))
def test_natural_order_of_any_text(ids):
    from remission.cohort.infer import natural_key, natural_order

    assert [ids[i] for i in natural_order(ids)] == sorted(ids, key=natural_key)


@settings(deadline=None)
@given(st.lists(st.from_regex(r"[A-Z]-[0-9]{4}[a-c]", fullmatch=True), unique=True, max_size=60))
def test_natural_order_of_same_shape_ids(ids):
    from remission.cohort.infer import natural_key, natural_order

    assert [ids[i] for i in natural_order(ids)] == sorted(ids, key=natural_key)

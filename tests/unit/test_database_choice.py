"""The suite's own rule for databases (tests/conftest.py): SQLite unless a test or its module opts in
to PostgreSQL with a reason; a test that parametrizes ``db_url`` itself keeps its choice.

Collected in a scratch project that uses the real hook; nothing connects to a database here.
"""

from __future__ import annotations

import pytest

pytest_plugins = ("pytester",)

CONFTEST = """
from tests.conftest import pytest_generate_tests  # noqa: F401  (the hook under test)
import pytest

@pytest.fixture
def db_url(request):
    return request.param

@pytest.fixture
def ctx(db_url):
    return db_url
"""

INI = """
[pytest]
addopts = --strict-markers -p no:cacheprovider
markers =
    pg: PostgreSQL
    both_databases(reason): PostgreSQL as well
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    import tests.conftest as conftest

    monkeypatch.setattr(conftest, "ALL_ON_BOTH", False)  # whatever RETURNDESK_TEST_DATABASES says here
    pytester.makeconftest(CONFTEST)
    pytester.makeini(INI)
    pytester.makepyfile(
        test_plain="""
            def test_uses_ctx(ctx): pass
            def test_uses_db_url(db_url): pass
            def test_no_database(): pass
        """,
        test_marked="""
            import pytest
            pytestmark = pytest.mark.both_databases("row locks differ")
            def test_uses_ctx(ctx): pass
        """,
        test_one_marked="""
            import pytest
            @pytest.mark.both_databases("a race")
            def test_race(ctx): pass
            def test_other(ctx): pass
        """,
        test_own_choice="""
            import pytest
            pytestmark = pytest.mark.both_databases("would add pg")
            @pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
            def test_sqlite_only(db_url): pass
        """,
    )
    return pytester


def _collected(pytester: pytest.Pytester, *args: str) -> set[str]:
    result = pytester.runpytest_inprocess("--collect-only", "-q", *args)
    assert result.ret == 0, result.stdout.str()
    return {line for line in result.outlines if "::" in line}


def test_sqlite_by_default_and_postgresql_where_a_reason_is_given(project):
    assert _collected(project) == {
        "test_plain.py::test_uses_ctx[sqlite]",
        "test_plain.py::test_uses_db_url[sqlite]",
        "test_plain.py::test_no_database",
        "test_marked.py::test_uses_ctx[sqlite]",
        "test_marked.py::test_uses_ctx[pg]",
        "test_one_marked.py::test_race[sqlite]",
        "test_one_marked.py::test_race[pg]",
        "test_one_marked.py::test_other[sqlite]",
        "test_own_choice.py::test_sqlite_only[sqlite]",
    }


def test_the_postgresql_runs_carry_the_pg_marker(project):
    assert _collected(project, "-m", "pg") == {"test_marked.py::test_uses_ctx[pg]",
                                                 "test_one_marked.py::test_race[pg]"}


def test_every_database_test_on_both_when_asked(project, monkeypatch):
    import tests.conftest as conftest

    monkeypatch.setattr(conftest, "ALL_ON_BOTH", True)  # RETURNDESK_TEST_DATABASES=both
    pg = _collected(project, "-m", "pg")
    assert "test_plain.py::test_uses_ctx[pg]" in pg and "test_plain.py::test_uses_db_url[pg]" in pg
    assert "test_own_choice.py::test_sqlite_only[pg]" not in pg


def test_opting_in_without_a_reason_is_refused(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makeini(INI)
    pytester.makepyfile(test_bare="""
        import pytest
        pytestmark = pytest.mark.both_databases
        def test_uses_ctx(ctx): pass
    """)
    result = pytester.runpytest_inprocess("--collect-only", "-q")
    assert result.ret != 0
    assert "both_databases needs a reason" in result.stdout.str() + result.stderr.str()

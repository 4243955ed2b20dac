"""Permission checks that accept any of several rights (who may read returns, the work lists)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returndesk.domain.errors import PermissionDenied
from returndesk.domain.permissions import RETURN_READERS, Permission, can, can_any, require_any
from returndesk.domain.types import Role


@given(st.sampled_from(list(Role)), st.lists(st.sampled_from(list(Permission)), min_size=1, max_size=4))
def test_require_any_passes_exactly_when_one_right_is_held(role, permissions):
    held = any(can(role, p) for p in permissions)
    assert can_any(role, permissions) is held
    if held:
        require_any(role, permissions, "Ann")
        require_any(role, permissions, "Ann", doing="look at this")
    else:
        with pytest.raises(PermissionDenied):
            require_any(role, permissions, "Ann")
        with pytest.raises(PermissionDenied):
            require_any(role, permissions, "Ann", doing="look at this")


def test_the_refusal_says_what_the_user_may_not_do():
    lacking = [p for p in Permission if not can(Role.CLERK, p)][:2]
    assert len(lacking) == 2
    with pytest.raises(PermissionDenied, match=r"^Bob \(clerk\) may not look at returns\.$"):
        require_any(Role.CLERK, lacking, "Bob", doing="look at returns")
    with pytest.raises(PermissionDenied, match=f"may not {lacking[0].value.replace('_', ' ')}"):
        require_any(Role.CLERK, lacking, "Bob")
    require_any(Role.CLERK, [*lacking, Permission.FIND_SALES], "Bob", doing="look at returns")


def test_clerks_and_inspectors_read_returns():
    assert can_any(Role.CLERK, RETURN_READERS) and can_any(Role.INSPECTOR, RETURN_READERS)

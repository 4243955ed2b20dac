"""The lifecycle of a return: the transition table and the refusal of everything else."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from returndesk.domain.errors import IllegalTransition
from returndesk.domain.lifecycle import TRANSITIONS, Action, allowed_actions, next_status
from returndesk.domain.types import OPEN_STATES, TERMINAL_STATES, ReturnStatus as S

# The lifecycle as the product describes it; the table in the code must say the same.
EXPECTED = {
    (S.DRAFT, Action.SUBMIT): S.REQUESTED,
    (S.DRAFT, Action.CANCEL): S.CANCELLED,
    (S.REQUESTED, Action.AUTHORIZE): S.AUTHORIZED,
    (S.REQUESTED, Action.REJECT): S.REJECTED,
    (S.REJECTED, Action.REOPEN): S.REQUESTED,
    (S.REQUESTED, Action.CANCEL): S.CANCELLED,
    (S.REQUESTED, Action.ASK_CUSTOMER): S.WAITING_FOR_CUSTOMER,
    (S.WAITING_FOR_CUSTOMER, Action.CUSTOMER_REPLY): S.REQUESTED,
    (S.WAITING_FOR_CUSTOMER, Action.REJECT): S.REJECTED,
    (S.WAITING_FOR_CUSTOMER, Action.CANCEL): S.CANCELLED,
    (S.AUTHORIZED, Action.RECEIVE): S.RECEIVED,
    (S.AUTHORIZED, Action.CANCEL): S.CANCELLED,
    (S.AUTHORIZED, Action.EXPIRE): S.EXPIRED,
    (S.RECEIVED, Action.COMPLETE_INSPECTION): S.INSPECTED,
    (S.INSPECTED, Action.ROUTE_FOR_APPROVAL): S.AWAITING_APPROVAL,
    (S.INSPECTED, Action.AUTO_APPROVE): S.APPROVED,
    (S.AWAITING_APPROVAL, Action.APPROVE): S.APPROVED,
    (S.AWAITING_APPROVAL, Action.REJECT_REFUND): S.REFUND_REJECTED,
    (S.APPROVED, Action.REFUND): S.REFUNDED,
    (S.APPROVED, Action.EXCHANGE): S.EXCHANGED,
    (S.REFUNDED, Action.CLOSE): S.CLOSED,
    (S.EXCHANGED, Action.CLOSE): S.CLOSED,
    (S.REFUND_REJECTED, Action.CLOSE): S.CLOSED,
}

UNLISTED = [(s, a) for s in S for a in Action if (s, a) not in TRANSITIONS]


def test_table_matches_the_product_lifecycle() -> None:
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize(("pair", "target"), list(TRANSITIONS.items()), ids=lambda p: str(p))
def test_every_listed_transition_works(pair: tuple[S, Action], target: S) -> None:
    state, action = pair
    assert next_status(state, action) is target
    # Codes as stored in the database work as well as the enums.
    assert next_status(state.value, action.value) is target


@pytest.mark.parametrize(("state", "action"), UNLISTED, ids=lambda p: str(p))
def test_every_unlisted_pair_is_refused_naming_the_current_state(state: S, action: Action) -> None:
    with pytest.raises(IllegalTransition) as info:
        next_status(state, action)
    assert info.value.current == state.value
    assert info.value.action == action.value
    assert f"it is {state.value.replace('_', ' ')}" in str(info.value)


def test_refusal_names_who_when_and_what_is_possible() -> None:
    with pytest.raises(IllegalTransition) as info:
        next_status(
            S.RECEIVED, Action.REFUND, set_by="li.wei", set_at=datetime(2025, 3, 1, 14, 5),
            rma="R0000012340",
        )
    assert str(info.value) == (
        "Return R0000012340 cannot refund: it is received (set by li.wei on 2025-03-01 14:05)."
        " From there it can: complete inspection."
    )


def test_terminal_states_allow_nothing() -> None:
    for state in TERMINAL_STATES:
        assert allowed_actions(state) == []
        with pytest.raises(IllegalTransition, match="nothing more"):
            next_status(state, Action.CLOSE)


def test_every_open_state_can_move_on() -> None:
    for state in OPEN_STATES:
        assert allowed_actions(state), state


def test_every_state_is_reachable_from_draft() -> None:
    reached = {S.DRAFT}
    frontier = [S.DRAFT]
    while frontier:
        state = frontier.pop()
        for action in allowed_actions(state):
            target = next_status(state, action)
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(S)


@settings(deadline=None)
@given(st.lists(st.sampled_from(list(Action)), max_size=20))
def test_random_walks_only_follow_the_table(actions: list[Action]) -> None:
    state = S.DRAFT
    for action in actions:
        if (state, action) in TRANSITIONS:
            state = next_status(state, action)
        else:
            with pytest.raises(IllegalTransition):
                next_status(state, action)
    assert state in set(S)


def test_unknown_codes_are_errors() -> None:
    with pytest.raises(ValueError):
        next_status("teleported", Action.CLOSE)
    with pytest.raises(ValueError):
        next_status(S.DRAFT, "launch")

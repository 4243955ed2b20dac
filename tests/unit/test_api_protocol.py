"""The in-process API offers exactly the typed protocol: every method of every group, with the
protocol's parameters and types (a remote implementation will be held to the same test)."""

from __future__ import annotations

import inspect

import pytest

from returndesk.api import local, protocol

GROUPS = {
    "search": (protocol.SearchApi, local.LocalSearch),
    "intake": (protocol.IntakeApi, local.LocalIntake),
    "counter": (protocol.CounterApi, local.LocalCounter),
    "receiving": (protocol.ReceivingApi, local.LocalReceiving),
    "inspection": (protocol.InspectionApi, local.LocalInspection),
    "approval": (protocol.ApprovalApi, local.LocalApproval),
    "refunds": (protocol.RefundsApi, local.LocalRefunds),
    "exchange": (protocol.ExchangeApi, local.LocalExchange),
    "review": (protocol.ReviewApi, local.LocalReview),
    "admin": (protocol.AdminApi, local.LocalAdmin),
    "integrations": (protocol.IntegrationsApi, local.LocalIntegrations),
    "finance": (protocol.FinanceApi, local.LocalFinance),
    "cash": (protocol.CashApi, local.LocalCash),
    "documents": (protocol.DocumentsApi, local.LocalDocuments),
    "analytics": (protocol.AnalyticsApi, local.LocalAnalytics),
    "settings": (protocol.SettingsApi, local.LocalSettings),
    "claims": (protocol.ClaimsApi, local.LocalClaims),
    "refurbish": (protocol.RefurbishApi, local.LocalRefurbish),
    "master_data": (protocol.MasterDataApi, local.LocalMasterData),
    "auth": (protocol.AuthApi, local.LocalAuth),
    "session": (protocol.SessionApi, local.LocalSession),
}


def _members(cls: type) -> dict[str, object]:
    return {name: value for name, value in vars(cls).items() if not name.startswith("_")}


def test_every_group_of_the_api_is_a_protocol_of_the_signed_in_api():
    groups = {name for name, value in _members(protocol.ReturnDeskApi).items() if isinstance(value, property)}
    assert groups == set(GROUPS) - {"auth"} | {"user"}


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_the_local_implementation_has_each_method_with_the_protocols_signature(group):
    contract, implementation = GROUPS[group]
    for name, member in _members(contract).items():
        offered = getattr(implementation, name, None)
        assert offered is not None, f"{implementation.__name__} lacks {name}"
        if isinstance(member, property):
            continue
        expected, actual = inspect.signature(member), inspect.signature(offered)
        assert list(actual.parameters.values()) == list(expected.parameters.values()), f"{group}.{name}"
        assert actual.return_annotation == expected.return_annotation or name == "api_for", f"{group}.{name}"


def test_no_method_takes_the_acting_user_or_the_context():
    for contract, _ in GROUPS.values():
        for name, member in _members(contract).items():
            if callable(member) and not isinstance(member, property):
                params = set(inspect.signature(member).parameters)
                assert not params & {"actor", "ctx", "session", "s"}, f"{contract.__name__}.{name}"

"""The contract cases: one entry for every method of the typed API (returndesk.api.protocol).

``test_contract.py`` runs each case through the in-process API and through a real server and
expects the same outcome both ways; a structural test fails while a protocol method has no entry
here. A new protocol method needs one line: ``("group", "method"): AUTO`` calls it with arguments
made from its type hints (a name that does not exist, today's date, an empty list…), which most
methods answer with a refusal that must arrive as the same error and sentence both ways; give a
:class:`Case` where the method needs real arguments or another user to show its answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Case:
    """How to call one method: as ``user`` (a user of the test world: clerk, inspector, supervisor,
    manager, finance, admin), with the arguments ``args(world)`` returns (None: made from the
    method's type hints)."""

    user: str = "admin"
    args: Callable[[Any], dict[str, Any]] | None = None


AUTO = Case()


def _today(world: Any) -> Any:
    return world.ctx.now().date()


CASES: dict[tuple[str, str], Case] = {
    # admin
    ("admin", "add_reason"): AUTO,
    ("admin", "add_user"): AUTO,
    ("admin", "admin_log"): AUTO,
    ("admin", "change_user"): AUTO,
    ("admin", "discard_policy_draft"): AUTO,
    ("admin", "end_sessions"): AUTO,
    ("admin", "get_policy_draft"): AUTO,
    ("admin", "list_policy_versions"): AUTO,
    ("admin", "list_sessions"): AUTO,
    ("admin", "list_sites"): AUTO,
    ("admin", "list_stations"): AUTO,
    ("admin", "list_users"): AUTO,
    ("admin", "policy_draft_changes"): AUTO,
    ("admin", "policy_in_force"): AUTO,
    ("admin", "publish_policy_draft"): AUTO,
    ("admin", "run_housekeeping"): AUTO,
    ("admin", "save_policy_draft"): AUTO,
    ("admin", "save_site"): AUTO,
    ("admin", "save_station"): AUTO,
    ("admin", "set_badge"): AUTO,
    ("admin", "set_password"): AUTO,
    ("admin", "unlock_user"): AUTO,
    ("admin", "update_reason"): AUTO,
    ("admin", "withdraw_policy_version"): AUTO,
    # analytics
    ("analytics", "cycle_times"): AUTO,
    ("analytics", "cycle_trend"): AUTO,
    ("analytics", "get_stage_targets"): AUTO,
    ("analytics", "money"): AUTO,
    ("analytics", "monthly_report"): AUTO,
    ("analytics", "reason_pareto"): AUTO,
    ("analytics", "return_rates"): AUTO,
    ("analytics", "returns_behind"): AUTO,
    ("analytics", "risk"): AUTO,
    ("analytics", "set_customer_watch"): AUTO,
    ("analytics", "set_stage_targets"): Case(args=lambda world: {"targets": {"inspected": 36}}),
    # approval
    ("approval", "approval_queue"): AUTO,
    ("approval", "approval_state"): AUTO,
    ("approval", "approve_refund"): AUTO,
    ("approval", "find_queue_notes"): AUTO,
    ("approval", "get_case"): AUTO,
    ("approval", "override_policy"): AUTO,
    ("approval", "queue_counts_by_reason"): AUTO,
    ("approval", "queue_size"): AUTO,
    ("approval", "reject_refund"): AUTO,
    # cash
    ("cash", "close_shift"): AUTO,
    ("cash", "current_shift"): AUTO,
    ("cash", "open_shift"): AUTO,
    ("cash", "shift_report"): AUTO,
    ("cash", "shift_report_pdf"): AUTO,
    ("cash", "spend_store_credit"): AUTO,
    ("cash", "store_credit_balance"): AUTO,
    # claims
    ("claims", "add_unit"): AUTO,
    ("claims", "claim_documents"): AUTO,
    ("claims", "get_claim"): AUTO,
    ("claims", "get_supplier_report"): AUTO,
    ("claims", "get_supplier_report_files"): AUTO,
    ("claims", "list_claims"): AUTO,
    ("claims", "record_answer"): AUTO,
    ("claims", "record_authorisation"): AUTO,
    ("claims", "reject_claim"): AUTO,
    ("claims", "remove_unit"): AUTO,
    ("claims", "request_authorisation"): AUTO,
    ("claims", "ship_claim"): AUTO,
    ("claims", "units_waiting"): AUTO,
    # counter
    ("counter", "blind_return"): AUTO,
    ("counter", "counter_return"): AUTO,
    ("counter", "issue_remote_return"): AUTO,
    ("counter", "quote_blind_return"): AUTO,
    ("counter", "sign_off_return"): AUTO,
    # documents
    ("documents", "prepare_print"): AUTO,
    ("documents", "print_document"): AUTO,
    ("documents", "record_print"): AUTO,
    # exchange
    ("exchange", "cancel_exchange"): AUTO,
    ("exchange", "cancel_replacement"): AUTO,
    ("exchange", "collect_difference"): AUTO,
    ("exchange", "create_exchange"): AUTO,
    ("exchange", "exchange_at_counter"): AUTO,
    ("exchange", "find_products"): AUTO,
    ("exchange", "find_replacement"): AUTO,
    ("exchange", "fulfil_exchange"): AUTO,
    ("exchange", "fulfil_replacement"): AUTO,
    ("exchange", "get_exchange_case"): AUTO,
    ("exchange", "record_changed_mind"): AUTO,
    # finance
    ("finance", "export_file"): AUTO,
    ("finance", "find_credit_notes"): AUTO,
    ("finance", "find_journal_entries"): AUTO,
    ("finance", "find_journal_lines"): AUTO,
    ("finance", "find_refunds"): AUTO,
    ("finance", "find_shifts"): AUTO,
    ("finance", "totals"): AUTO,
    ("finance", "trial_balance"): AUTO,
    # inspection
    ("inspection", "close_line_short"): AUTO,
    ("inspection", "complete_inspection"): AUTO,
    ("inspection", "inspection_queue"): AUTO,
    ("inspection", "record_unit"): AUTO,
    ("inspection", "undo_last_unit"): AUTO,
    ("inspection", "update_unit"): AUTO,
    # intake
    ("intake", "authorize_return"): AUTO,
    ("intake", "cancel_return"): AUTO,
    ("intake", "create_return"): AUTO,
    ("intake", "preview_return"): AUTO,
    ("intake", "reject_return"): AUTO,
    ("intake", "reopen_return"): AUTO,
    # integrations
    ("integrations", "add_webhook"): AUTO,
    ("integrations", "create_api_key"): AUTO,
    ("integrations", "list_api_keys"): AUTO,
    ("integrations", "list_api_scopes"): AUTO,
    ("integrations", "list_outbox"): AUTO,
    ("integrations", "list_webhooks"): AUTO,
    ("integrations", "replay_webhook"): AUTO,
    ("integrations", "revoke_api_key"): AUTO,
    ("integrations", "set_webhook_active"): AUTO,
    # master_data
    ("master_data", "cancel_import"): AUTO,
    ("master_data", "delete_profile"): AUTO,
    ("master_data", "export_records"): AUTO,
    ("master_data", "find_categories"): AUTO,
    ("master_data", "find_customers"): AUTO,
    ("master_data", "find_products"): AUTO,
    ("master_data", "find_suppliers"): AUTO,
    ("master_data", "import_file"): AUTO,
    ("master_data", "import_progress"): AUTO,
    ("master_data", "list_profiles"): AUTO,
    ("master_data", "preview_import"): AUTO,
    ("master_data", "save_category"): AUTO,
    ("master_data", "save_customer"): AUTO,
    ("master_data", "save_product"): AUTO,
    ("master_data", "save_profile"): AUTO,
    ("master_data", "save_supplier"): AUTO,
    # receiving
    ("receiving", "expected_returns"): AUTO,
    ("receiving", "find_return_by_scan"): AUTO,
    ("receiving", "list_unexpected_parcels"): AUTO,
    ("receiving", "match_parcel"): AUTO,
    ("receiving", "receive_return"): AUTO,
    ("receiving", "record_unexpected_parcel"): AUTO,
    ("receiving", "return_parcel"): AUTO,
    # refunds
    ("refunds", "close_return"): AUTO,
    ("refunds", "find_refund"): AUTO,
    ("refunds", "issue_refund"): AUTO,
    ("refunds", "to_pay_queue"): AUTO,
    # refurbish
    ("refurbish", "find_refurbish_unit"): AUTO,
    ("refurbish", "refurbish_queue"): AUTO,
    ("refurbish", "refurbish_unit"): AUTO,
    ("refurbish", "scrap_unit"): AUTO,
    # review
    ("review", "ask_customer"): AUTO,
    ("review", "authorize_request"): AUTO,
    ("review", "get_review_case"): AUTO,
    ("review", "record_answer"): AUTO,
    ("review", "reject_request"): AUTO,
    ("review", "review_counts"): AUTO,
    ("review", "review_queue"): AUTO,
    # search
    ("search", "customer_history"): AUTO,
    ("search", "export_returns"): AUTO,
    ("search", "find_returns"): AUTO,
    ("search", "find_sales"): AUTO,
    ("search", "get_return"): AUTO,
    ("search", "get_return_page"): AUTO,
    ("search", "get_sale"): AUTO,
    ("search", "return_timeline"): AUTO,
    ("search", "search_returns"): AUTO,
    # settings
    ("settings", "active_policy"): AUTO,
    ("settings", "get_station_printing"): AUTO,
    ("settings", "list_reasons"): AUTO,
    ("settings", "save_station_printing"): AUTO,
    ("settings", "set_station_time_zone"): AUTO,
}

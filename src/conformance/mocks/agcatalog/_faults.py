"""The Ag Catalog mock's faults and the checks each must break."""

from __future__ import annotations

from conformance.mocks.blocks.faults import Fault, fault_table

FAULTS = fault_table(
    anonymous_access=Fault(
        "a request without a token is accepted", breaks="auth_missing_credentials_rejected"
    ),
    invalid_token_accepted=Fault("an unknown bearer token is accepted", breaks="auth_invalid_token_rejected"),
    token_never_expires=Fault("tokens stay valid after expires_in", breaks="auth_expired_token_rejected"),
    duplicate_names_allowed=Fault(
        "two entries of one organisation may share a name",
        breaks="errors_status_matches",
        select="ECPR001 or ECIT002 or ECFR001",
    ),
    fertilizer_duplicate_400=Fault(
        "a duplicate fertilizer name gets 400 instead of 409 (ECFR001)",
        breaks="errors_status_matches",
        select="ECFR001",
    ),
    wrong_not_found_code=Fault(
        "not-found answers carry the code NOT_FOUND instead of the resource's",
        breaks={"business_outcome_as_documented", "errors_code_matches"},
    ),
    id_conflict_overwrites=Fault(
        "a create with an existing id replaces the entry",
        breaks="errors_status_matches",
        select="ECPR008 or ECIT003 or ECFR009",
    ),
    category_not_checked=Fault(
        "any item category is accepted", breaks="errors_status_matches", select="ECIT004"
    ),
    deleted_entry_returned=Fault("GET returns soft-deleted entries", breaks="business_outcome_as_documented"),
    deleted_in_batch=Fault(
        "batch reads return soft-deleted entries",
        breaks={"business_batch_in_request_order", "business_entry_hidden"},
    ),
    deleted_in_list=Fault("lists return soft-deleted entries", breaks="business_entry_hidden"),
    name_not_freed=Fault("a deleted entry's name stays taken", breaks="business_outcome_as_documented"),
    batch_limit_not_enforced=Fault(
        "a batch read of 101 ids is accepted", breaks="business_outcome_as_documented"
    ),
    batch_order_lost=Fault(
        "batch reads answer in storage order, not request order", breaks="business_batch_in_request_order"
    ),
    foreign_entry_readable=Fault(
        "another organisation's entry can be read", breaks="business_outcome_as_documented"
    ),
    foreign_list_allowed=Fault("another organisation's list can be read", breaks="auth_tenant_isolation"),
    next_key_on_last_page=Fault("the last page still has a next_key", breaks="pagination_terminal_signal"),
    page_repeats=Fault(
        "each page starts with the last entry of the previous page", breaks="pagination_walk_complete"
    ),
    size_not_enforced=Fault("size above 1000 is accepted", breaks="pagination_max_size"),
    name_filter_ignored=Fault("the name filter is ignored", breaks="pagination_filter_consistent"),
    include_deleted_ignored=Fault(
        "include_deleted never shows soft-deleted entries", breaks="business_entry_shown"
    ),
    error_envelope_wrong=Fault("errors are {message} without status and code", breaks="errors_code_matches"),
    rename_keeps_old_name=Fault(
        "a renamed entry's old name stays taken (a sequence sees it: rename, then create under the old name)",
        breaks="stateful_answer_as_predicted",
        select="stateful",
    ),
)

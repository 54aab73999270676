"""The Cropster mock's faults and the checks each must break."""

from __future__ import annotations

from conformance.mocks.blocks.faults import Fault, fault_table

PROPERTIES = "test_operation_conforms"

FAULTS = fault_table(
    weights_as_strings=Fault(
        "listed lots carry weight.amount as a string ('12.5') instead of a number",
        breaks="schema_response_conforms",
        select=PROPERTIES,
    ),
    lists_without_token=Fault(
        "the list operations answer a request without a token",
        breaks={"schema_auth_required", "auth_missing_credentials_rejected"},
        select=f"{PROPERTIES} or test_missing_credentials_rejected",
    ),
    other_verbs_404=Fault(
        "other verbs on an operation get 404 instead of 405",
        breaks={"schema_method_not_allowed", "transport_method_not_allowed"},
        select=f"{PROPERTIES} or test_method_not_allowed",
    ),
    unknown_operation_400=Fault(
        "an unknown operation gets 400 instead of 404 resource_not_found",
        breaks="transport_unknown_path_not_found",
    ),
    get_allowed=Fault("GET is answered like POST instead of 405", breaks="transport_method_not_allowed"),
    no_allow_header=Fault("405 answers carry no Allow: POST", breaks="transport_method_not_allowed"),
    any_content_type=Fault(
        "a body that is not application/json is accepted", breaks="transport_content_type_enforced"
    ),
    expired_token_accepted=Fault("tokens stay valid after expires_in", breaks="auth_expired_token_rejected"),
    invalid_token_accepted=Fault("an unknown bearer token is accepted", breaks="auth_invalid_token_rejected"),
    anonymous_access=Fault(
        "a request without Authorization is accepted",
        breaks={"auth_missing_credentials_rejected", "errors_status_matches"},
    ),
    scope_not_enforced=Fault(
        "a token without the operation's namespace scope is accepted",
        breaks={"auth_scope_enforced", "errors_status_matches"},
    ),
    invalid_scope_granted=Fault(
        "a token request for a scope the client lacks succeeds", breaks="auth_token_error_conforms"
    ),
    invalid_client_400=Fault(
        "bad client credentials get 400 instead of 401", breaks="auth_token_error_conforms"
    ),
    any_grant_type_accepted=Fault("any grant_type gets a token", breaks="auth_token_error_conforms"),
    token_scope_spaces=Fault(
        "the token response joins scopes with spaces instead of %20", breaks="auth_token_response_conforms"
    ),
    wrong_code_negative_weight=Fault(
        "a negative weight gets invalid_parameter instead of invalid_weight", breaks="errors_code_matches"
    ),
    missing_parameter_400=Fault(
        "a missing attribute gets 400 instead of 422", breaks="errors_status_matches"
    ),
    error_envelope_flat=Fault(
        "errors are {error: message} instead of {ok: false, error: {code, message}}",
        breaks={"errors_code_matches", "rate_limit_rejection_envelope"},
    ),
    cursor_repeats_last=Fault(
        "each page starts with the last item of the previous page", breaks="pagination_walk_complete"
    ),
    end_cursor_on_last_page=Fault(
        "the last page still carries an endCursor", breaks="pagination_terminal_signal"
    ),
    oldest_first=Fault("lists are oldest first", breaks="pagination_order"),
    limit_not_enforced=Fault("limit above 100 is accepted", breaks="pagination_max_size"),
    zero_limit_accepted=Fault("limit 0 is accepted", breaks="pagination_invalid_size_rejected"),
    default_limit_wrong=Fault("the default page size is 20, not 50", breaks="pagination_default_size"),
    garbage_cursor_accepted=Fault(
        "an unknown cursor restarts at the first page", breaks="pagination_invalid_page_rejected"
    ),
    filter_ignored=Fault("roastedDate.from is ignored", breaks="pagination_filter_consistent"),
    no_rate_limit=Fault("no rate limit", breaks="rate_limit_quota_enforced"),
    rate_limit_never_recovers=Fault(
        "the token bucket never refills",
        breaks="rate_limit_recovers_after_window",
        select="test_recovers_after_window",
    ),
    shared_rate_limit=Fault("all clients share one token bucket", breaks="rate_limit_per_key_independent"),
    non_atomic_transfer=Fault(
        "a transfer to an unknown destination still debits the source lot",
        breaks="errors_refused_write_changed_nothing",
    ),
    overdraw_allowed=Fault(
        "a transfer may move more than the lot holds, or move a consumed lot",
        breaks="errors_status_matches",
        select="transfer_of_more or consumed_lot",
    ),
    top_up_replaces=Fault(
        "a second transfer to one destination replaces the destination lot's weight instead of adding to it",
        breaks="stateful_answer_as_predicted",
        select="stateful",
    ),
)

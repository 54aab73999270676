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
        rules="transport.unknown_path",
    ),
    get_allowed=Fault("GET is answered like POST instead of 405", breaks="transport_method_not_allowed"),
    no_allow_header=Fault("405 answers carry no Allow: POST", breaks="transport_method_not_allowed"),
    any_content_type=Fault(
        "a body that is not application/json is accepted",
        breaks="transport_content_type_enforced",
        rules="transport.content_type",
    ),
    expired_token_accepted=Fault("tokens stay valid after expires_in", breaks="auth_expired_token_rejected"),
    invalid_token_accepted=Fault("an unknown bearer token is accepted", breaks="auth_invalid_token_rejected"),
    anonymous_access=Fault(
        "a request without Authorization is accepted",
        breaks={"auth_missing_credentials_rejected", "errors_status_matches"},
        rules="errors.codes[invalid_authentication]",
    ),
    scope_not_enforced=Fault(
        "a token without the operation's namespace scope is accepted",
        breaks={"auth_scope_enforced", "errors_status_matches"},
        rules="errors.codes[access_denied]",
    ),
    invalid_scope_granted=Fault(
        "a token request for a scope the client lacks succeeds",
        breaks="auth_token_error_conforms",
        rules="auth.rules.invalid_scope",
    ),
    invalid_client_400=Fault(
        "bad client credentials get 400 instead of 401",
        breaks="auth_token_error_conforms",
        rules="auth.rules.invalid_client",
    ),
    any_grant_type_accepted=Fault(
        "any grant_type gets a token",
        breaks="auth_token_error_conforms",
        rules="auth.rules.unsupported_grant_type",
    ),
    token_scope_spaces=Fault(
        "the token response joins scopes with spaces instead of %20", breaks="auth_token_response_conforms"
    ),
    wrong_code_negative_weight=Fault(
        "a negative weight gets invalid_parameter instead of invalid_weight",
        breaks="errors_code_matches",
        rules="errors.codes[invalid_weight]",
    ),
    missing_parameter_400=Fault(
        "a missing attribute gets 400 instead of 422",
        breaks="errors_status_matches",
        rules="errors.codes[missing_parameter]",
    ),
    error_envelope_flat=Fault(
        "errors are {error: message} instead of {ok: false, error: {code, message}}",
        breaks={"errors_code_matches", "rate_limit_rejection_envelope"},
        rules={"errors.codes[]", "rate_limit.rules.rejection_envelope"},
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
        breaks={"business_outcome_as_documented", "errors_refused_write_changed_nothing"},
        select="transfer_of_more or consumed_lot or more_than_held",
        rules={
            "business.transfer_within_lot_weight",
            "business.consumed_lot_cannot_move",
            "errors.atomic_writes",
        },
    ),
    # --- the audit's rows (issue 9)
    token_short_lived=Fault(
        "tokens die after 60 s and the token response says expires_in 60",
        breaks={"auth_token_lifetime_documented", "auth_expired_token_rejected"},
        select="test_token_lifetime_documented or test_expired_token_rejected",
    ),
    no_scope_grants_green_only=Fault(
        "a token request without scope gets only inventory.green",
        breaks="auth_default_scopes_granted",
        select="test_default_scopes_granted",
    ),
    blend_scope_not_enforced=Fault(
        "a token without inventory.blend may list blended lots",
        breaks="auth_scope_enforced",
        select="test_insufficient_scope_rejected and listBlendedLots",
    ),
    wrong_allow_header=Fault(
        "405 answers say Allow: GET, PUT",
        breaks="transport_method_not_allowed",
        select="test_method_not_allowed",
    ),
    only_get_refused=Fault(
        "only GET gets 405: PUT, PATCH and DELETE are answered like POST",
        breaks="transport_method_not_allowed",
        select="test_method_not_allowed",
    ),
    any_version_served=Fault(
        "/rpc/v2/... (any version) is served like /rpc/v1/...",
        breaks="transport_unknown_path_not_found",
        select="test_unknown_version_not_found",
        rules="transport.unknown_version",
    ),
    missing_content_type_accepted=Fault(
        "a POST without Content-Type is accepted",
        breaks="transport_content_type_enforced",
        select="test_missing_content_type_rejected",
        rules="transport.content_type_missing",
    ),
    token_any_content_type=Fault(
        "the token endpoint reads a form whatever the Content-Type",
        breaks="errors_status_matches",
        select="token_not_a_form",
        rules="errors.codes[token_not_a_form]",
    ),
    empty_error_messages=Fault(
        "invalid_parameter errors carry an empty message",
        breaks="errors_envelope_conforms",
        select="test_documented_error and invalid_parameter",
        rules="errors.codes[invalid_parameter]",
    ),
    lbs_refused=Fault(
        "LBS is refused with 422 unsupported_unit (only KG accepted)",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and unit_lbs",
        rules="errors.accepted[unit_lbs]",
    ),
    snake_case_fields=Fault(
        "the imported lot says ico_number and external_id (snake_case)",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and imported_lot",
        rules="errors.accepted[imported_lot]",
    ),
    null_cursor_rejected=Fault(
        "an explicit after: null gets 400 instead of the first page",
        breaks="pagination_same_page",
        select="test_null_cursor_first_page",
        rules="pagination.rules.null_cursor_first_page",
    ),
    roasted_to_inclusive=Fault(
        "roastedDate.to is inclusive",
        breaks="pagination_filter_consistent",
        select="test_filter_consistent and listRoastedLots",
    ),
    blended_filter_ignored=Fault(
        "blendedDate.from is ignored",
        breaks="pagination_filter_consistent",
        select="test_filter_consistent and listBlendedLots",
    ),
    bucket_refills_fast=Fault(
        "the token bucket refills at 50/s (the burst of 10 holds)",
        breaks="rate_limit_sustained_rate",
        select="test_sustained_rate",
    ),
    imports_not_rate_limited=Fault(
        "writes (imports, weights, transfers) do not spend the bucket",
        breaks="rate_limit_every_operation",
        select="test_every_operation_limited",
    ),
    token_endpoint_limited=Fault(
        "token requests spend the client's bucket and get 429 when it is empty",
        breaks="rate_limit_token_endpoint_exempt",
        select="test_token_endpoint_exempt",
    ),
    method_before_operation=Fault(
        "the method is checked before the operation (405 for an unknown operation with GET)",
        breaks="errors_status_matches",
        select="precedence_unknown_operation_first",
        rules="errors.codes[precedence_unknown_operation_first]",
    ),
    auth_before_method=Fault(
        "authentication is checked before the method (401 where 405 comes first)",
        breaks="errors_status_matches",
        select="precedence_method_before_auth",
        rules="errors.codes[precedence_method_before_auth]",
    ),
    rate_before_auth=Fault(
        "the rate limit is checked before authentication (429 where 401 comes first)",
        breaks="errors_status_matches",
        select="precedence_auth_before_rate",
        rules="errors.codes[precedence_auth_before_rate]",
    ),
    scope_before_rate=Fault(
        "the scope is checked before the rate limit (403 where 429 comes first)",
        breaks="errors_status_matches",
        select="precedence_rate_before_scope",
        rules="errors.codes[precedence_rate_before_scope]",
    ),
    content_type_before_scope=Fault(
        "the content type is checked before the scope (400 where 403 comes first)",
        breaks="errors_status_matches",
        select="precedence_scope_before_content_type",
        rules="errors.codes[precedence_scope_before_content_type]",
    ),
    body_before_content_type=Fault(
        "the body is judged before the content type (422 where 400 comes first)",
        breaks="errors_status_matches",
        select="precedence_content_type_before_body",
        rules="errors.codes[precedence_content_type_before_body]",
    ),
    same_location_accepted=Fault(
        "a transfer to the lot's own location is carried out",
        breaks="business_outcome_as_documented",
        select="test_transfer_to_the_lots_own_location",
        rules="business.transfer_same_location",
    ),
    unknown_destination_accepted=Fault(
        "a transfer to an unknown destination answers 200 and debits the source",
        breaks={"business_outcome_as_documented", "errors_refused_write_changed_nothing"},
        select="unknown_destination",
        rules={"business.transfer_unknown_destination", "errors.atomic_writes"},
    ),
    transfer_never_tops_up=Fault(
        "each transfer creates a new destination lot instead of topping one up",
        breaks="business_state_as_documented",
        select="test_transfer_moves_weight",
        rules="business.transfer_moves_weight",
    ),
    reimport_allowed=Fault(
        "re-importing an externalId creates a second lot",
        breaks="business_outcome_as_documented",
        select="test_reimporting",
        rules="business.reimport_external_id",
    ),
    weight_not_stored=Fault(
        "setGreenLotWeight answers ok but keeps the old weight",
        breaks="business_state_as_documented",
        select="test_set_weight_is_read_back",
        rules="business.weight_set",
    ),
    top_up_truncated=Fault(
        "a top-up adds the moved weight truncated to whole units (whole amounts, as a per-request "
        "scenario moves, add correctly; a sequence moving halves sees the lost fraction)",
        breaks="stateful_answer_as_predicted",
        select="stateful",
    ),
)

"""The OriginTrace mock's faults and the checks each must break."""

from __future__ import annotations

from conformance.mocks.blocks.faults import Fault, fault_table

FAULTS = fault_table(
    status_filter_crashes=Fault(
        "a status filter outside the documented values crashes the list (500)",
        breaks="schema_no_server_error",
        select="test_operation_conforms",
    ),
    anonymous_access=Fault(
        "a request without Authorization is accepted", breaks="auth_missing_credentials_rejected"
    ),
    invalid_key_accepted=Fault("an unknown key is accepted", breaks="auth_invalid_token_rejected"),
    scope_not_enforced=Fault("a key without `read` can read", breaks="auth_scope_enforced"),
    revoked_key_still_works=Fault("a revoked key keeps working", breaks="auth_revoked_key_rejected"),
    expired_key_accepted=Fault(
        "a key past expires_in_days keeps working", breaks="auth_expired_token_rejected"
    ),
    secret_listed=Fault("GET /api/keys returns each key's secret", breaks="auth_secret_never_listed"),
    keys_without_session=Fault(
        "key management works without an admin session", breaks="auth_admin_session_required"
    ),
    org_isolation_broken=Fault("a key sees every organisation's records", breaks="auth_listing_isolated"),
    total_counts_unfiltered=Fault(
        "meta.total counts the unfiltered rows", breaks="pagination_total_consistent"
    ),
    filter_ignored=Fault("the status filter is ignored", breaks="pagination_filter_consistent"),
    limit_not_clamped=Fault("limit above 500 is not clamped", breaks="pagination_max_size"),
    negative_offset_accepted=Fault(
        "a negative offset is treated as 0", breaks="pagination_invalid_page_rejected"
    ),
    default_limit_wrong=Fault("the default limit is 50, not 100", breaks="pagination_default_size"),
    offset_off_by_one=Fault("each page starts one item early", breaks="pagination_walk_complete"),
    oldest_first=Fault("lists are oldest first", breaks="pagination_order"),
    past_end_error=Fault("an offset past the end gets 404", breaks="pagination_past_end"),
    no_rate_limit=Fault("no rate limit", breaks="rate_limit_quota_enforced"),
    remaining_not_decreasing=Fault(
        "X-RateLimit-Remaining stays at the limit", breaks="rate_limit_remaining_decreases"
    ),
    missing_rate_headers=Fault("no X-RateLimit-* headers", breaks="rate_limit_headers_present"),
    reset_moves=Fault("X-RateLimit-Reset moves with every request", breaks="rate_limit_reset_consistent"),
    no_retry_after=Fault(
        "the 429 body has no retry_after",
        breaks={"rate_limit_rejection_envelope", "rate_limit_reset_consistent"},
    ),
    shared_rate_limit=Fault("all keys share one window", breaks="rate_limit_per_key_independent"),
    rate_limit_never_recovers=Fault("the window never ends", breaks="rate_limit_recovers_after_window"),
    error_envelope_wrong=Fault(
        "errors are {message} instead of {error}",
        breaks={"errors_code_matches", "rate_limit_rejection_envelope"},
        rules="errors.codes[]",
    ),
    # --- the audit's rows (issue 9)
    default_quota_100=Fault(
        "a key with no quota of its own gets 100 requests an hour, not 1000",
        breaks="rate_limit_default_quota",
        select="test_default_quota",
    ),
    sliding_window_limit=Fault(
        "the hourly limit is a sliding window, not a fixed one from the first request",
        breaks="rate_limit_window_fixed",
        select="test_window_fixed",
    ),
    clock_aligned_window=Fault(
        "the hourly window starts at the top of the hour, not at the key's first request",
        breaks="rate_limit_window_fixed",
        select="test_window_fixed",
    ),
    params_before_rate=Fault(
        "list parameters are validated before the rate check (a 400 neither counts nor has rate headers)",
        breaks={"rate_limit_invalid_requests_counted", "errors_status_matches"},
        select="test_invalid_requests_counted or precedence_rate_before_params",
        rules={"errors.codes[precedence_rate_before_params]", "rate_limit.rules.invalid_requests_counted"},
    ),
    params_before_scope=Fault(
        "list parameters are validated before the scope (400 where 403 comes first)",
        breaks="errors_status_matches",
        select="precedence_scope_before_params",
        rules="errors.codes[precedence_scope_before_params]",
    ),
    rate_before_auth=Fault(
        "a spent window refuses requests without a key too (429 where 401 comes first)",
        breaks="errors_status_matches",
        select="precedence_auth_before_rate",
        rules="errors.codes[precedence_auth_before_rate]",
    ),
    reset_constant_zero=Fault(
        "X-RateLimit-Reset is 0 on every answer",
        breaks="rate_limit_reset_consistent",
        select="test_reset_consistent",
    ),
    offset_defaults_to_limit=Fault(
        "without offset the second page is answered (offset defaults to the limit)",
        breaks="pagination_same_page",
        select="test_default_position",
        rules="pagination.rules.default_position",
    ),
    non_integer_offset_accepted=Fault(
        "a non-integer offset is read as 0",
        breaks="errors_status_matches",
        select="invalid_offset",
        rules="errors.codes[invalid_offset]",
    ),
    revoke_without_id_ok=Fault(
        "DELETE /api/keys without id answers 200",
        breaks="errors_status_matches",
        select="revoke_without_id",
        rules="errors.codes[revoke_without_id]",
    ),
    revoke_unknown_ok=Fault(
        "DELETE /api/keys?id=<unknown> answers 200",
        breaks="errors_status_matches",
        select="revoke_unknown_key",
        rules="errors.codes[revoke_unknown_key]",
    ),
    create_key_without_session=Fault(
        "POST /api/keys creates a key without an admin session",
        breaks="auth_admin_session_required",
        select="test_key_writes_need_admin_session",
    ),
    key_prefix_from_end=Fault(
        "key_prefix is the secret's last 8 characters",
        breaks="business_key_prefix_matches_secret",
        select="test_key_prefix_is_the_secrets_start",
        rules="business.key_prefix_is_secret_start",
    ),
    short_secrets=Fault(
        "the secret shown on creation has 32 characters, not the full 64-character key",
        breaks="business_secret_full_length",
        select="test_secret_is_the_full_key",
        rules="business.secret_full_length",
    ),
    revoke_answer_wrong=Fault(
        "revoking answers {revoked: true} instead of {success: true, message: API key revoked}",
        breaks="business_state_as_documented",
        select="test_revoke_answers_as_documented",
        rules="business.revoke_answer",
    ),
    no_default_scopes=Fault(
        "a key created with no scopes gets [] instead of [read]",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and key_default_scopes",
        rules="errors.accepted[key_default_scopes]",
    ),
    key_response_without_message=Fault(
        "the key creation answer has no message",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and key_created",
        rules="errors.accepted[key_created]",
    ),
    key_list_without_last_used=Fault(
        "listed keys have no last_used_at",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and keys_listed",
        rules="errors.accepted[keys_listed]",
    ),
    batch_without_agent=Fault(
        "listed records have no agent_id",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and batches_fields",
        rules="errors.accepted[batches_fields]",
    ),
    aggregated_refused=Fault(
        "the batch status filter refuses aggregated (400)",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and batches_status_aggregated",
        rules="errors.accepted[batches_status_aggregated]",
    ),
    farms_leak_other_org=Fault(
        "the farm list shows every organisation's farms",
        breaks="auth_listing_isolated",
        select="test_foreign_listing_isolated and listFarms",
    ),
    limit_ten_accepted=Fault(
        "a non-integer limit is read as the default",
        breaks="errors_status_matches",
        select="invalid_limit",
        rules="errors.codes[invalid_limit]",
    ),
    zero_limit_accepted=Fault(
        "limit 0 is read as the default",
        breaks="pagination_invalid_size_rejected",
        select="test_invalid_size_rejected",
    ),
    server_error_not_json=Fault(
        "a 500 answers plain text, without the error field",
        breaks="errors_envelope_conforms",
        select="test_documented_error and server_error",
        rules="errors.codes[server_error]",
    ),
    statuses_upper_case=Fault(
        "listed batches say their status in upper case (COMPLETED), off the documented enum",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and batches_fields",
        rules="errors.accepted[batches_fields]",
    ),
    other_methods_404=Fault(
        "a method a list path does not support gets 404 instead of 405",
        breaks="schema_method_not_allowed",
        select="test_operation_conforms",
    ),
    bad_requests_not_counted=Fault(
        "from a key's second 400 (a bad limit or offset) on, a 400 does not count against its hourly window: "
        "Remaining drifts (the first counts, as a per-request check sees; a sequence sees it)",
        breaks="stateful_answer_as_predicted",
        select="stateful",
    ),
)

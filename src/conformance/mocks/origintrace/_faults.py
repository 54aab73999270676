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
    ),
    bad_requests_not_counted=Fault(
        "a 400 (a bad limit or offset) does not count against the key's hourly window: Remaining drifts",
        breaks="stateful_answer_as_predicted",
        select="stateful",
    ),
)

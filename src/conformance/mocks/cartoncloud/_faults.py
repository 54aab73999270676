"""The CartonCloud mock's faults and the checks each must break."""

from __future__ import annotations

from conformance.mocks.blocks.faults import Fault, fault_table
from conformance.mocks.cartoncloud._faults_inputs import INPUT_FAULTS

FAULTS = fault_table(
    field_pointer_unescaped=Fault(
        "422 field pointers join keys raw: `a/b~c` is not escaped to `a~1b~0c` (RFC 6901)",
        breaks="errors_envelope_conforms",  # the escaped_field_pointer probe: every run
        rules="errors.codes[escaped_field_pointer]",
    ),
    accept_version_not_enforced=Fault(
        "requests without Accept-Version (or with an unsupported one) succeed",
        breaks="transport_required_header_missing_rejected",
        select="test_required_header_missing_rejected",
    ),
    unsupported_version_accepted=Fault(
        "an unsupported Accept-Version value is accepted",
        breaks="transport_required_header_unsupported_rejected",
        select="test_required_header_unsupported_rejected",
        rules="transport.required_headers[0].unsupported",
    ),
    accept_any_token=Fault(
        "an unknown bearer token is accepted",
        breaks="auth_invalid_token_rejected",
        select="test_invalid_token_rejected",
    ),
    anonymous_access=Fault(
        "a request without Authorization is accepted",
        breaks="auth_missing_credentials_rejected",
        select="test_missing_credentials_rejected",
    ),
    any_grant_type_accepted=Fault(
        "the token endpoint issues tokens for any grant_type",
        breaks="auth_token_error_conforms",
        select="test_unsupported_grant_type_rejected",
        rules="auth.rules.unsupported_grant_type",
    ),
    token_never_expires=Fault(
        "tokens stay valid after expires_in",
        breaks="auth_expired_token_rejected",
        select="test_expired_token_rejected",
    ),
    token_type_wrong=Fault(
        "the token response says token_type 'mac'",
        breaks="auth_token_response_conforms",
        select="test_token_response_conforms",
    ),
    invalid_client_400=Fault(
        "bad client credentials get 400 instead of 401",
        breaks="auth_token_error_conforms",
        select="test_invalid_client_rejected",
        rules="auth.rules.invalid_client",
    ),
    tenant_isolation_broken=Fault(
        "a token reaches tenants its user does not have",
        breaks="auth_tenant_isolation",
        select="test_foreign",
    ),
    wrong_405_status=Fault(
        "a wrong method gets 404 instead of 405",
        breaks="transport_method_not_allowed",
        select="test_method_not_allowed",
    ),
    unknown_path_400=Fault(
        "an unknown path gets 400 instead of 404",
        breaks="transport_unknown_path_not_found",
        select="test_unknown_path_not_found",
    ),
    error_envelope_object=Fault(
        "errors are a JSON object instead of an array",
        breaks={"errors_envelope_conforms", "rate_limit_rejection_envelope"},
        select="test_documented_error or test_rejection_envelope",
        rules={"errors.codes[]", "rate_limit.rules.rejection_envelope"},
    ),
    validation_without_pointer=Fault(
        "422 errors name the field without a JSON Pointer",
        breaks="errors_envelope_conforms",
        select="missing_required_field",
        rules="errors.codes[missing_required_field]",
    ),
    validation_wrong_pointer=Fault(
        "422 errors point at the parent of the offending field",
        breaks="errors_field_pointer_named",
        select="missing_required_field",
        rules="errors.codes[missing_required_field]",
    ),
    malformed_json_500=Fault(
        "malformed JSON crashes the endpoint (500)",
        breaks="errors_status_matches",
        select="malformed_json",
        rules="errors.codes[malformed_json]",
    ),
    no_228=Fault(
        "an outbound order created in REJECTED status gets 201",
        breaks="errors_status_matches",
        select="created_with_issues",
        rules="errors.codes[created_with_issues]",
    ),
    ignore_if_match=Fault(
        "a stale If-Match is ignored (the write wins)",
        breaks="locking_stale_version_rejected",
        select="test_stale_version_rejected",
    ),
    no_version_increment=Fault(
        "an update does not increment the version",
        breaks="locking_version_incremented",
        select="test_version_incremented",
    ),
    racy_update=Fault(
        "the If-Match compare and the write are not atomic (lost updates)",
        breaks="locking_concurrent_single_winner",
        select="test_concurrent_single_winner",
    ),
    malformed_if_match_accepted=Fault(
        "a non-integer If-Match is treated as absent",
        breaks="locking_malformed_version_rejected",
        select="test_malformed_version_rejected",
    ),
    if_match_required=Fault(
        "a PUT without If-Match gets 428",
        breaks="locking_absent_if_match_accepted",
        select="test_absent_if_match_accepted",
    ),
    missing_link_header=Fault(
        "search pages have no Link header",
        breaks="pagination_link_header",
        select="test_link_header",
        rules="pagination.rules.link_header",
    ),
    wrong_link_rels=Fault(
        "the last page still has rel=next",
        breaks="pagination_link_header",
        select="test_link_header",
        rules="pagination.rules.link_header",
    ),
    duplicate_page_item=Fault(
        "each page repeats the last item of the previous page",
        breaks="pagination_walk_complete",
        select="test_walk_complete",
    ),
    page_gap=Fault(
        "each page skips the first item that belongs on it",
        breaks="pagination_walk_complete",
        select="test_walk_complete",
    ),
    consignments_page_gap=Fault(
        "consignment search pages skip the first item that belongs on them "
        "(inbound and outbound search stay correct)",
        breaks="pagination_walk_complete",
        select="test_walk_complete",
    ),
    wrong_total_elements=Fault(
        "Total-Elements counts one element too many",
        breaks="pagination_headers_consistent",
        select="test_headers_consistent",
        rules="pagination.rules.headers_consistent",
    ),
    ignore_page_size_max=Fault(
        "pageSize above 200 is not clamped", breaks="pagination_max_size", select="test_max_size"
    ),
    default_page_size_wrong=Fault(
        "the default page size is 10, not 20", breaks="pagination_default_size", select="test_default_size"
    ),
    past_end_error=Fault(
        "a page past the end gets 404 instead of []", breaks="pagination_past_end", select="test_past_end"
    ),
    page_zero_accepted=Fault(
        "pageNumber 0 is treated as 1",
        breaks="pagination_invalid_page_rejected",
        select="test_invalid_page_rejected",
    ),
    no_rate_limit=Fault(
        "outbound-order creation is not rate limited",
        breaks="rate_limit_quota_enforced",
        select="test_quota_enforced",
    ),
    rate_limit_never_recovers=Fault(
        "the outbound-order limit never resets",
        breaks="rate_limit_recovers_after_window",
        select="test_recovers_after_window",
    ),
    webhook_not_sent=Fault(
        "status changes raise no webhook", breaks="webhooks_delivered", select="test_events_delivered"
    ),
    webhook_missing_headers=Fault(
        "webhooks omit the configured custom headers",
        breaks="webhooks_custom_headers",
        select="test_custom_headers_sent",
    ),
    webhook_no_retry=Fault(
        "a delivery answered with an error is not retried",
        breaks="webhooks_retried_on_failure",
        select="test_failed_delivery_retried",
    ),
    webhook_partial_payload=Fault(
        "the webhook body is {id, status} instead of the full entity",
        breaks="webhooks_payload_conforms",
        select="test_payload_conforms",
        rules="webhooks.payload_conforms",
    ),
    search_conditions_ignored=Fault(
        "search answers every entity, whatever the condition",
        breaks="search_results_match",
        select="test_search and results_match",
    ),
    search_method_inverted=Fault(
        "GREATER_THAN answers what LESS_THAN_OR_EQUAL_TO does (one method inverted)",
        breaks="search_results_match",
        select="test_search and test_results_match",
    ),
    search_nesting_flattened=Fault(
        "nested conditions are flattened: every comparison joins the top-level And/Or",
        breaks="search_results_match",
        select="test_search and test_nested_results_match",
    ),
    search_page_missing=Fault(
        "a filtered search loses its second page (page 2 answers page 3's items)",
        breaks="search_results_match",
        select="test_search and results_match",
    ),
    prefer_minimal_ignored=Fault(
        "Prefer: return=minimal is ignored (full entities, no Preference-Applied)",
        breaks="search_minimal_representation",
        select="test_minimal_representation",
    ),
    bare_comparison_accepted=Fault(
        "a bare top-level comparison is searched instead of refused with Missing field: conditions",
        breaks="search_bare_comparison_rejected",
        select="test_bare_comparison_rejected",
    ),
    unknown_search_field_ignored=Fault(
        "an unknown search key or pointer matches nothing (200 []) instead of a 400 naming it",
        breaks="search_invalid_condition_rejected",
        select="test_invalid_condition_rejected",
    ),
    duplicate_code_accepted=Fault(
        "a customer or product code the tenant already has is accepted (a second entity)",
        breaks="errors_status_matches",
        select="test_documented_error and duplicate",
        rules={"errors.codes[customer_duplicate_code]", "errors.codes[warehouse_product_duplicate_code]"},
    ),
    patch_test_ignored=Fault(
        "a JSON Patch `test` that fails is skipped and the patch applied",
        breaks="errors_status_matches",
        select="test_documented_error and patch_test_failed",
        rules="errors.codes[patch_test_failed]",
    ),
    delete_in_any_status=Fault(
        "an order is deleted whatever its status (not only in DRAFT)",
        breaks="errors_status_matches",
        select="test_documented_error and delete_not_draft",
        rules="errors.codes[delete_not_draft]",
    ),
    search_stale_after_update=Fault(
        "search answers orders and consignments as their first update left them (a stale index: "
        "later updates unseen; a scenario's single update shows nothing)",
        breaks="stateful_listing_as_modelled",
        select="stateful",
    ),
    get_without_version=Fault(
        "a GET of an order or consignment answers it without its version (only a read of an entity "
        "that exists shows it: the locking suite's create -> get -> update; the stateful phase's "
        "create -> get link when its scenarios reach one)",
        breaks={"locking_version_present"},
        select="test_version_present or test_stateful_links",
    ),
    # --- the audit's rows (issue 9): each declares the check it breaks, and the rule where one
    # check judges several
    token_short_lived=Fault(
        "tokens die after 60 s and the token response says expires_in 60",
        breaks={"auth_token_lifetime_documented", "auth_expired_token_rejected"},
        select="test_token_lifetime_documented or test_expired_token_rejected",
    ),
    accept_version_only_on_uaa=Fault(
        "Accept-Version is checked on /uaa/userinfo only: tenant paths answer without it or with any value",
        breaks={
            "transport_required_header_missing_rejected",
            "transport_required_header_unsupported_rejected",
        },
        select="test_required_header_missing_rejected or test_required_header_unsupported_rejected",
        rules={"transport.required_headers[0].missing", "transport.required_headers[0].unsupported"},
    ),
    token_requires_accept_version=Fault(
        "the token endpoint refuses a request without Accept-Version (400)",
        breaks="transport_header_optional_where_exempt",
        select="test_header_optional_where_exempt",
    ),
    token_ignores_accept_version_value=Fault(
        "the token endpoint accepts any Accept-Version value",
        breaks="transport_required_header_unsupported_rejected",
        select="test_header_unsupported_where_exempt",
        rules="transport.required_headers[0].exempt_unsupported",
    ),
    only_version_1=Fault(
        "only Accept-Version 1 is accepted (2 to 8 get 400)",
        breaks="transport_header_value_accepted",
        select="test_required_header_value_accepted",
    ),
    page_number_defaults_to_2=Fault(
        "a search without pageNumber answers the second page",
        breaks="pagination_same_page",
        select="test_default_position",
        rules="pagination.rules.default_position",
    ),
    page_aliases_ignored=Fault(
        "the page/size aliases are ignored (the default page is answered)",
        breaks="pagination_same_page",
        select="test_aliases_accepted",
        rules="pagination.rules.aliases_accepted",
    ),
    empty_total_pages_one=Fault(
        "an empty result says Total-Pages 1",
        breaks="pagination_headers_consistent",
        select="test_empty_result_headers",
        rules="pagination.rules.empty_headers",
    ),
    outbound_limit_fixed_window=Fault(
        "the outbound-order limit is a fixed one-minute window from the first request, not a sliding one",
        breaks="rate_limit_window_slides",
        select="test_window_slides",
    ),
    refused_attempts_free=Fault(
        "refused outbound-order attempts do not count against the window",
        breaks="rate_limit_attempts_counted",
        select="test_window_slides",
    ),
    shared_outbound_limit=Fault(
        "all clients share one outbound-order limit",
        breaks="rate_limit_per_key_independent",
        select="test_per_key_independent",
    ),
    webhook_summary_payload=Fault(
        "the webhook body is {id, status, version} instead of the full entity",
        breaks="webhooks_payload_is_entity",
        select="test_payload_is_entity",
    ),
    webhook_old_status=Fault(
        "the webhook body carries the status before the change",
        breaks={"webhooks_payload_status", "webhooks_payload_is_entity"},
        select="test_payload_status or test_payload_is_entity",
    ),
    webhook_every_status=Fault(
        "a webhook registered for one status fires on every status change",
        breaks="webhooks_only_subscribed_status",
        select="test_only_subscribed_status",
    ),
    **INPUT_FAULTS,
)

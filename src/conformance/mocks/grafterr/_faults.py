"""The Grafterr mock's faults and the checks each must break."""

from __future__ import annotations

from conformance.mocks.blocks.faults import Fault, fault_table

FAULTS = fault_table(
    api_key_not_checked=Fault(
        "requests without a valid x-api-key are served",
        breaks="auth_api_key_enforced",
        rules={"auth.rules.missing_api_key", "auth.rules.invalid_api_key"},
    ),
    anonymous_access=Fault(
        "a request without a bearer token is accepted", breaks="auth_missing_credentials_rejected"
    ),
    invalid_token_accepted=Fault("an unknown bearer token is accepted", breaks="auth_invalid_token_rejected"),
    token_never_expires=Fault("tokens stay valid after expires_in", breaks="auth_expired_token_rejected"),
    token_response_flat=Fault(
        "the token response is not wrapped in {status, message, data}", breaks="auth_token_response_conforms"
    ),
    unknown_path_404=Fault(
        "an unknown path gets 404 instead of 403 Missing Authentication Token",
        breaks="transport_unknown_path_not_found",
    ),
    method_not_allowed_404=Fault(
        "a wrong method gets 404 instead of 405", breaks="transport_method_not_allowed"
    ),
    validation_not_enforced=Fault(
        "a menu with an unknown vat_type is accepted",
        breaks={"errors_status_matches", "schema_invalid_input_rejected"},
        rules="errors.codes[validation]",
    ),
    duplicate_order_accepted=Fault(
        "a repeated order_id creates a second order",
        breaks="errors_status_matches",
        rules="errors.codes[duplicate_order]",
    ),
    error_envelope_wrong=Fault(
        "application errors are {error} instead of {status, message}",
        breaks="errors_envelope_conforms",
        rules="errors.codes[]",
    ),
    no_rate_limit=Fault("no rate limit", breaks="rate_limit_quota_enforced"),
    rate_limit_never_recovers=Fault(
        "the per-second window never ends", breaks="rate_limit_recovers_after_window"
    ),
    hyphen_keys_renamed=Fault(
        "webhook payloads rename business-details / total-with-tax to snake_case",
        breaks="webhooks_payload_conforms",
        rules="webhooks.payload_conforms",
    ),
    webhook_wrong_event=Fault(
        "webhooks name the event order.created instead of <channel>_order_created",
        breaks="webhooks_delivered",
    ),
    webhook_not_sent=Fault("orders raise no webhook", breaks="webhooks_delivered"),
    webhook_no_retry=Fault(
        "a delivery answered with an error is not retried", breaks="webhooks_retried_on_failure"
    ),
    # --- the audit's rows (issue 9)
    token_short_lived=Fault(
        "tokens die after 60 s and the token response says expires_in 60",
        breaks={"auth_token_lifetime_documented", "auth_expired_token_rejected"},
        select="test_token_lifetime_documented or test_expired_token_rejected",
    ),
    validation_without_errors=Fault(
        "a validation refusal has no errors list",
        breaks="errors_envelope_conforms",
        select="test_documented_error and validation",
        rules="errors.codes[validation]",
    ),
    business_id_unchecked=Fault(
        "a negative business_id is accepted",
        breaks="errors_status_matches",
        select="validation_business_id",
        rules="errors.codes[validation_business_id]",
    ),
    tax_plu_optional=Fault(
        "a tax_list entry without plu is accepted",
        breaks="errors_status_matches",
        select="validation_tax_plu",
        rules="errors.codes[validation_tax_plu]",
    ),
    token_without_api_key_ok=Fault(
        "the token call works without x-api-key",
        breaks="errors_status_matches",
        select="token_without_api_key",
        rules="errors.codes[token_without_api_key]",
    ),
    api_key_before_path=Fault(
        "x-api-key is checked before the path: an unknown path without it gets Forbidden",
        breaks="errors_code_matches",
        select="precedence_unknown_path_first",
        rules="errors.codes[precedence_unknown_path_first]",
    ),
    method_before_rate=Fault(
        "the method is checked before the rate limit (405 where 429 comes first)",
        breaks="errors_status_matches",
        select="precedence_rate_before_method",
        rules="errors.codes[precedence_rate_before_method]",
    ),
    auth_before_method=Fault(
        "the bearer token is checked before the method (401 where 405 comes first)",
        breaks="errors_status_matches",
        select="precedence_method_before_auth",
        rules="errors.codes[precedence_method_before_auth]",
    ),
    validation_before_auth=Fault(
        "the body is validated before the bearer token (400 where 401 comes first)",
        breaks="errors_status_matches",
        select="precedence_auth_before_validation",
        rules="errors.codes[precedence_auth_before_validation]",
    ),
    excluding_vat_refused=Fault(
        "a menu with vat_type excluding is refused",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and menu_excluding_vat",
        rules="errors.accepted[menu_excluding_vat]",
    ),
    menu_read_message_wrong=Fault(
        "menu/read says Menu fetched instead of Data fetched successfully!",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and menu_read",
        rules="errors.accepted[menu_read]",
    ),
    order_without_id=Fault(
        "order/create answers data without order_id",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and order_created",
        rules="errors.accepted[order_created]",
    ),
    fixed_window_limit=Fault(
        "the per-second limit is a fixed window, not a sliding one",
        breaks="rate_limit_window_slides",
        select="test_window_slides",
    ),
    refused_attempts_free=Fault(
        "refused attempts do not count against the window",
        breaks="rate_limit_attempts_counted",
        select="test_window_slides",
    ),
    shared_rate_limit=Fault(
        "all API keys share one window",
        breaks="rate_limit_per_key_independent",
        select="test_per_key_independent",
    ),
    selfkiosk_as_pos=Fault(
        "selfkiosk orders raise pos_order_created / pos_order_updated",
        breaks="webhooks_delivered",
        select="test_events_delivered and selfkiosk",
    ),
    webhook_first_event_only=Fault(
        "a webhook registered for several events gets only the first",
        breaks="webhooks_several_events_delivered",
        select="test_one_url_several_events",
    ),
    menu_without_tax_list_crashes=Fault(
        "a menu without tax_list crashes menu/create (500)",
        breaks="schema_no_server_error",
        select="test_operation_conforms",
    ),
    second_update_not_sent=Fault(
        "only an order's first status change raises <channel>_order_updated (a sequence sees it)",
        breaks="stateful_events_as_predicted",
        select="stateful",
    ),
)

"""Every CartonCloud check fails against the mock with the matching fault switched on, and
passes against the clean mock: a check is only real once we have seen it fail."""

from __future__ import annotations

import pytest

from conformance.checks import REGISTRY
from conformance.mocks import mock_faults
from tests.conftest import SUITES, failed_checks, read_report

# per API: fault -> (a -k selector for speed, or None for every suite test; the checks that must fail)
# fault -> (suite test selector, the checks that must fail)
CARTONCLOUD: dict[str, tuple[str | None, set[str]]] = {
    "token_type_wrong": ("test_token_response_conforms", {"auth_token_response_conforms"}),
    "anonymous_access": ("test_missing_credentials_rejected", {"auth_missing_credentials_rejected"}),
    "accept_any_token": ("test_invalid_token_rejected", {"auth_invalid_token_rejected"}),
    "token_never_expires": ("test_expired_token_rejected", {"auth_expired_token_rejected"}),
    "invalid_client_400": ("test_invalid_client_rejected", {"auth_token_error_conforms"}),
    "any_grant_type_accepted": ("test_unsupported_grant_type_rejected", {"auth_token_error_conforms"}),
    "tenant_isolation_broken": ("test_foreign", {"auth_tenant_isolation"}),
    "accept_version_not_enforced": (
        "test_required_header_missing_rejected",
        {"transport_required_header_missing_rejected"},
    ),
    "unsupported_version_accepted": (
        "test_required_header_unsupported_rejected",
        {"transport_required_header_unsupported_rejected"},
    ),
    "wrong_405_status": ("test_method_not_allowed", {"transport_method_not_allowed"}),
    "unknown_path_400": ("test_unknown_path_not_found", {"transport_unknown_path_not_found"}),
    "malformed_json_500": ("malformed_json", {"errors_status_matches"}),
    "no_228": ("created_with_issues", {"errors_status_matches"}),
    "error_envelope_object": (
        "test_documented_error or test_rejection_envelope",
        {"errors_envelope_conforms", "rate_limit_rejection_envelope"},
    ),
    "validation_without_pointer": ("missing_required_field", {"errors_envelope_conforms"}),
    "validation_wrong_pointer": ("missing_required_field", {"errors_field_pointer_named"}),
    "duplicate_page_item": ("test_walk_complete", {"pagination_walk_complete"}),
    "page_gap": ("test_walk_complete", {"pagination_walk_complete"}),
    "wrong_total_elements": ("test_headers_consistent", {"pagination_headers_consistent"}),
    "missing_link_header": ("test_link_header", {"pagination_link_header"}),
    "wrong_link_rels": ("test_link_header", {"pagination_link_header"}),
    "default_page_size_wrong": ("test_default_size", {"pagination_default_size"}),
    "ignore_page_size_max": ("test_max_size", {"pagination_max_size"}),
    "past_end_error": ("test_past_end", {"pagination_past_end"}),
    "page_zero_accepted": ("test_invalid_page_rejected", {"pagination_invalid_page_rejected"}),
    "no_rate_limit": ("test_quota_enforced", {"rate_limit_quota_enforced"}),
    "rate_limit_never_recovers": ("test_recovers_after_window", {"rate_limit_recovers_after_window"}),
    "ignore_if_match": ("test_stale_version_rejected", {"locking_stale_version_rejected"}),
    "no_version_increment": ("test_version_incremented", {"locking_version_incremented"}),
    "malformed_if_match_accepted": (
        "test_malformed_version_rejected",
        {"locking_malformed_version_rejected"},
    ),
    "if_match_required": ("test_absent_if_match_accepted", {"locking_absent_if_match_accepted"}),
    "racy_update": ("test_concurrent_single_winner", {"locking_concurrent_single_winner"}),
    "webhook_not_sent": ("test_events_delivered", {"webhooks_delivered"}),
    "webhook_missing_headers": ("test_custom_headers_sent", {"webhooks_custom_headers"}),
    "webhook_no_retry": ("test_failed_delivery_retried", {"webhooks_retried_on_failure"}),
    "webhook_partial_payload": ("test_payload_conforms", {"webhooks_payload_conforms"}),
}
CROPSTER: dict[str, tuple[str | None, set[str]]] = {
    "unknown_operation_400": (None, {"transport_unknown_path_not_found"}),
    "get_allowed": (None, {"transport_method_not_allowed"}),
    "no_allow_header": (None, {"transport_method_not_allowed"}),
    "any_content_type": (None, {"transport_content_type_enforced"}),
    "expired_token_accepted": (None, {"auth_expired_token_rejected"}),
    "invalid_token_accepted": (None, {"auth_invalid_token_rejected"}),
    "anonymous_access": (None, {"auth_missing_credentials_rejected", "errors_status_matches"}),
    "scope_not_enforced": (None, {"auth_scope_enforced", "errors_status_matches"}),
    "invalid_scope_granted": (None, {"auth_token_error_conforms"}),
    "invalid_client_400": (None, {"auth_token_error_conforms"}),
    "any_grant_type_accepted": (None, {"auth_token_error_conforms"}),
    "token_scope_spaces": (None, {"auth_token_response_conforms"}),
    "wrong_code_negative_weight": (None, {"errors_code_matches"}),
    "missing_parameter_400": (None, {"errors_status_matches"}),
    "error_envelope_flat": (None, {"errors_code_matches", "rate_limit_rejection_envelope"}),
    "cursor_repeats_last": (None, {"pagination_walk_complete"}),
    "end_cursor_on_last_page": (None, {"pagination_terminal_signal"}),
    "oldest_first": (None, {"pagination_order"}),
    "limit_not_enforced": (None, {"pagination_max_size"}),
    "zero_limit_accepted": (None, {"pagination_invalid_size_rejected"}),
    "default_limit_wrong": (None, {"pagination_default_size"}),
    "garbage_cursor_accepted": (None, {"pagination_invalid_page_rejected"}),
    "filter_ignored": (None, {"pagination_filter_consistent"}),
    "no_rate_limit": (None, {"rate_limit_quota_enforced"}),
    "rate_limit_never_recovers": ("test_recovers_after_window", {"rate_limit_recovers_after_window"}),
    "shared_rate_limit": (None, {"rate_limit_per_key_independent"}),
    "non_atomic_transfer": (None, {"errors_refused_write_changed_nothing"}),
    "overdraw_allowed": ("transfer_of_more or consumed_lot", {"errors_status_matches"}),
}
ORIGINTRACE: dict[str, tuple[str | None, set[str]]] = {
    "anonymous_access": (None, {"auth_missing_credentials_rejected"}),
    "invalid_key_accepted": (None, {"auth_invalid_token_rejected"}),
    "scope_not_enforced": (None, {"auth_scope_enforced"}),
    "revoked_key_still_works": (None, {"auth_revoked_key_rejected"}),
    "expired_key_accepted": (None, {"auth_expired_token_rejected"}),
    "secret_listed": (None, {"auth_secret_never_listed"}),
    "keys_without_session": (None, {"auth_admin_session_required"}),
    "org_isolation_broken": (None, {"auth_listing_isolated"}),
    "total_counts_unfiltered": (None, {"pagination_total_consistent"}),
    "filter_ignored": (None, {"pagination_filter_consistent"}),
    "limit_not_clamped": (None, {"pagination_max_size"}),
    "negative_offset_accepted": (None, {"pagination_invalid_page_rejected"}),
    "default_limit_wrong": (None, {"pagination_default_size"}),
    "offset_off_by_one": (None, {"pagination_walk_complete"}),
    "oldest_first": (None, {"pagination_order"}),
    "past_end_error": (None, {"pagination_past_end"}),
    "no_rate_limit": (None, {"rate_limit_quota_enforced"}),
    "remaining_not_decreasing": (None, {"rate_limit_remaining_decreases"}),
    "missing_rate_headers": (None, {"rate_limit_headers_present"}),
    "reset_moves": (None, {"rate_limit_reset_consistent"}),
    "no_retry_after": (None, {"rate_limit_rejection_envelope", "rate_limit_reset_consistent"}),
    "shared_rate_limit": (None, {"rate_limit_per_key_independent"}),
    "rate_limit_never_recovers": (None, {"rate_limit_recovers_after_window"}),
    "error_envelope_wrong": (None, {"errors_code_matches", "rate_limit_rejection_envelope"}),
}
AGCATALOG: dict[str, tuple[str | None, set[str]]] = {
    "anonymous_access": (None, {"auth_missing_credentials_rejected"}),
    "invalid_token_accepted": (None, {"auth_invalid_token_rejected"}),
    "token_never_expires": (None, {"auth_expired_token_rejected"}),
    "duplicate_names_allowed": ("ECPR001 or ECIT002 or ECFR001", {"errors_status_matches"}),
    "fertilizer_duplicate_400": ("ECFR001", {"errors_status_matches"}),
    "wrong_not_found_code": (None, {"errors_code_matches", "business_outcome_as_documented"}),
    "id_conflict_overwrites": ("ECPR008 or ECIT003 or ECFR009", {"errors_status_matches"}),
    "category_not_checked": ("ECIT004", {"errors_status_matches"}),
    "deleted_entry_returned": (None, {"business_outcome_as_documented"}),
    "deleted_in_batch": (None, {"business_entry_hidden", "business_batch_in_request_order"}),
    "deleted_in_list": (None, {"business_entry_hidden"}),
    "include_deleted_ignored": (None, {"business_entry_shown"}),
    "name_not_freed": (None, {"business_outcome_as_documented"}),
    "batch_limit_not_enforced": (None, {"business_outcome_as_documented"}),
    "batch_order_lost": (None, {"business_batch_in_request_order"}),
    "foreign_entry_readable": (None, {"business_outcome_as_documented"}),
    "foreign_list_allowed": (None, {"auth_tenant_isolation"}),
    "next_key_on_last_page": (None, {"pagination_terminal_signal"}),
    "page_repeats": (None, {"pagination_walk_complete"}),
    "size_not_enforced": (None, {"pagination_max_size"}),
    "name_filter_ignored": (None, {"pagination_filter_consistent"}),
    "error_envelope_wrong": (None, {"errors_code_matches"}),
}
GRAFTERR: dict[str, tuple[str | None, set[str]]] = {
    "api_key_not_checked": (None, {"auth_api_key_enforced"}),
    "anonymous_access": (None, {"auth_missing_credentials_rejected"}),
    "invalid_token_accepted": (None, {"auth_invalid_token_rejected"}),
    "token_never_expires": (None, {"auth_expired_token_rejected"}),
    "token_response_flat": (None, {"auth_token_response_conforms"}),
    "unknown_path_404": (None, {"transport_unknown_path_not_found"}),
    "method_not_allowed_404": (None, {"transport_method_not_allowed"}),
    "validation_not_enforced": (None, {"errors_status_matches"}),
    "duplicate_order_accepted": (None, {"errors_status_matches"}),
    "error_envelope_wrong": (None, {"errors_envelope_conforms"}),
    "no_rate_limit": (None, {"rate_limit_quota_enforced"}),
    "rate_limit_never_recovers": (None, {"rate_limit_recovers_after_window"}),
    "hyphen_keys_renamed": (None, {"webhooks_payload_conforms"}),
    "webhook_wrong_event": (None, {"webhooks_delivered"}),
    "webhook_not_sent": (None, {"webhooks_delivered"}),
    "webhook_no_retry": (None, {"webhooks_retried_on_failure"}),
}
MATRICES = {
    "cartoncloud": CARTONCLOUD,
    "cropster": CROPSTER,
    "origintrace": ORIGINTRACE,
    "agcatalog": AGCATALOG,
    "grafterr": GRAFTERR,
}
NOT_YET_CHECKED: dict[str, set[str]] = {}
SUITE_DIRS = [str(SUITES / "conformance"), str(SUITES / "scenarios")]
CASES = [(api, fault) for api, matrix in MATRICES.items() for fault in sorted(matrix)]


# checks no plain-http loopback mock can make fail; tests/checks/ shows each failing on exchanges
NEEDS_HTTPS_TARGET = {"transport_https_only"}


def test_every_check_fails_against_some_fault():
    covered = set().union(*(checks for matrix in MATRICES.values() for _, checks in matrix.values()))
    covered |= NEEDS_HTTPS_TARGET
    assert covered == set(REGISTRY), f"checks without a fault: {sorted(set(REGISTRY) - covered)}"


@pytest.mark.parametrize("api", sorted(MATRICES))
def test_every_fault_is_in_the_matrix(api):
    assert set(mock_faults(api)) == set(MATRICES[api]) | NOT_YET_CHECKED.get(api, set())


@pytest.mark.parametrize(
    ("api", "passed"),
    [
        ("cartoncloud", 37),
        ("cropster", 37),
        ("origintrace", 29),
        ("agcatalog", 48),
        ("grafterr", 19),
    ],
)
def test_clean_mock_passes_every_suite_check(pytester, api, passed):
    result = pytester.runpytest_inprocess(
        *SUITE_DIRS, "--api", api, "--report-dir", str(pytester.path / "r"), "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=passed, skipped=result.parseoutcomes().get("skipped", 0))
    report = read_report(pytester.path / "r")
    assert failed_checks(report) == set()
    assert {r["verdict"] for r in report["results"]} <= {"pass", "not-applicable"}


@pytest.mark.parametrize(("api", "fault"), CASES, ids=[f"{a}:{f}" for a, f in CASES])
def test_check_fails_against_faulty_mock(pytester, api, fault):
    selector, expected = MATRICES[api][fault]
    args = [
        *SUITE_DIRS,
        "--api",
        api,
        "--mock-fault",
        fault,
        "--report-dir",
        str(pytester.path / "r"),
        "-p",
        "no:cacheprovider",
    ]
    if selector:
        args += ["-k", selector]
    result = pytester.runpytest_inprocess(*args)
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()[-2000:]
    assert expected <= failed_checks(read_report(pytester.path / "r"))
    result.stdout.fnmatch_lines(["*Expected:*", "*Contract: *profile.yaml*", "*curl*"])

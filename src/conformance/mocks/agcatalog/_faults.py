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
        rules={"errors.codes[ECPR001]", "errors.codes[ECIT002]", "errors.codes[ECFR001]"},
    ),
    fertilizer_duplicate_400=Fault(
        "a duplicate fertilizer name gets 400 instead of 409 (ECFR001)",
        breaks="errors_status_matches",
        select="ECFR001",
        rules="errors.codes[ECFR001]",
    ),
    wrong_not_found_code=Fault(
        "not-found answers carry the code NOT_FOUND instead of the resource's",
        breaks={"business_outcome_as_documented", "errors_code_matches"},
        rules={
            "errors.codes[ECPR002]",
            "errors.codes[ECIT001]",
            "errors.codes[ECFR002]",
            "business.deleted_entry_not_found",
        },
    ),
    id_conflict_overwrites=Fault(
        "a create with an existing id replaces the entry",
        breaks="errors_status_matches",
        select="ECPR008 or ECIT003 or ECFR009",
        rules={"errors.codes[ECPR008]", "errors.codes[ECIT003]", "errors.codes[ECFR009]"},
    ),
    category_not_checked=Fault(
        "any item category is accepted",
        breaks="errors_status_matches",
        select="ECIT004",
        rules="errors.codes[ECIT004]",
    ),
    deleted_entry_returned=Fault(
        "GET returns soft-deleted entries",
        breaks="business_outcome_as_documented",
        rules="business.deleted_entry_not_found",
    ),
    deleted_in_batch=Fault(
        "batch reads return soft-deleted entries",
        breaks={"business_batch_in_request_order", "business_entry_hidden"},
        rules={"business.deleted_hidden", "business.batch_in_request_order"},
    ),
    deleted_in_list=Fault(
        "lists return soft-deleted entries", breaks="business_entry_hidden", rules="business.deleted_hidden"
    ),
    name_not_freed=Fault(
        "a deleted entry's name stays taken",
        breaks="business_outcome_as_documented",
        rules="business.deleted_name_freed",
    ),
    batch_limit_not_enforced=Fault(
        "a batch read of 101 ids is accepted",
        breaks="business_outcome_as_documented",
        rules="business.batch_max",
    ),
    batch_order_lost=Fault(
        "batch reads answer in storage order, not request order",
        breaks="business_batch_in_request_order",
        rules="business.batch_in_request_order",
    ),
    foreign_entry_readable=Fault(
        "another organisation's entry can be read",
        breaks="business_outcome_as_documented",
        rules="business.foreign_entry_hidden",
    ),
    foreign_list_allowed=Fault("another organisation's list can be read", breaks="auth_tenant_isolation"),
    next_key_on_last_page=Fault("the last page still has a next_key", breaks="pagination_terminal_signal"),
    page_repeats=Fault(
        "each page starts with the last entry of the previous page", breaks="pagination_walk_complete"
    ),
    size_not_enforced=Fault("size above 1000 is accepted", breaks="pagination_max_size"),
    name_filter_ignored=Fault("the name filter is ignored", breaks="pagination_filter_consistent"),
    include_deleted_ignored=Fault(
        "include_deleted never shows soft-deleted entries",
        breaks="business_entry_shown",
        rules="business.include_deleted_shows",
    ),
    error_envelope_wrong=Fault(
        "errors are {message} without status and code", breaks="errors_code_matches", rules="errors.codes[]"
    ),
    # --- the audit's rows (issue 9)
    token_short_lived=Fault(
        "tokens die after 60 s and the token response says expires_in 60",
        breaks={"auth_token_lifetime_documented", "auth_expired_token_rejected"},
        select="test_token_lifetime_documented or test_expired_token_rejected",
    ),
    envelope_without_path=Fault(
        "error bodies are {status, code, message}, without timestamp, error and path",
        breaks="errors_envelope_conforms",
        select="test_documented_error",
        rules="errors.codes[]",
    ),
    names_unique_globally=Fault(
        "names are unique across all organisations (another organisation's name is refused)",
        breaks="business_outcome_as_documented",
        select="test_another_organisation_may_use_our_name",
        rules="business.names_unique_per_org",
    ),
    names_unique_across_resources=Fault(
        "names are unique across products, items and fertilizers",
        breaks="business_outcome_as_documented",
        select="test_another_resource_may_use_our_name",
        rules="business.names_unique_per_resource",
    ),
    rename_onto_taken_name=Fault(
        "a PUT may give an entry another live entry's name",
        breaks="business_outcome_as_documented",
        select="test_rename_onto_a_taken_name",
        rules="business.rename_onto_taken_name",
    ),
    deleted_entry_writable=Fault(
        "a PUT or DELETE of a soft-deleted entry succeeds",
        breaks="business_outcome_as_documented",
        select="test_deleted_entry_is_not_found and (PUT or DELETE)",
        rules="business.deleted_entry_not_found",
    ),
    unknown_put_creates=Fault(
        "a PUT of an unknown id creates the entry and a DELETE of one answers 204",
        breaks="business_outcome_as_documented",
        select="test_unknown_entry_is_not_found",
        rules="business.unknown_entry_not_found",
    ),
    entry_moves_org=Fault(
        "a PUT may move an entry to another organisation",
        breaks="business_state_as_documented",
        select="test_entry_stays_in_its_organisation",
        rules="business.org_fixed",
    ),
    batch_ignores_org=Fault(
        "batch reads return other organisations' entries",
        breaks="business_entry_hidden",
        select="test_foreign_entry_is_left_out_of_batch_reads",
        rules="business.foreign_batch_hidden",
    ),
    put_merges=Fault(
        "a PUT merges into the entry instead of replacing it",
        breaks="business_state_as_documented",
        select="test_put_replaces_the_whole_entry",
        rules="business.full_replacement",
    ),
    batch_max_wrong_code=Fault(
        "a batch read of more than 100 ids answers 400 with the code WHATEVER",
        breaks="business_outcome_as_documented",
        select="test_batch_of_more_than_100",
        rules="business.batch_max",
    ),
    empty_batch_accepted=Fault(
        "a batch read of no ids answers 200 []",
        breaks="business_outcome_as_documented",
        select="test_empty_batch_rejected",
        rules="business.batch_min",
    ),
    missing_category_e400=Fault(
        "an item without category gets E400 instead of ECIT004",
        breaks="errors_code_matches",
        select="item_missing_category",
        rules="errors.codes[item_missing_category]",
    ),
    indication_optional=Fault(
        "a product without indication and a fertilizer without form are accepted",
        breaks="errors_status_matches",
        select="product_missing_indication or fertilizer_missing_form",
        rules={"errors.codes[product_missing_indication]", "errors.codes[fertilizer_missing_form]"},
    ),
    nutrients_unbounded=Fault(
        "a nutrient percentage above 100 is accepted",
        breaks="errors_status_matches",
        select="fertilizer_nutrient_over_100",
        rules="errors.codes[fertilizer_nutrient_over_100]",
    ),
    no_timestamps=Fault(
        "created entries have no updated_at",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and product_created",
        rules="errors.accepted[product_created]",
    ),
    org_id_required=Fault(
        "a create without org_id is refused although the client is in one organisation",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and product_without_org",
        rules="errors.accepted[product_without_org]",
    ),
    get_without_name=Fault(
        "a read entry comes without its name",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and product_read",
        rules="errors.accepted[product_read]",
    ),
    delete_answers_200=Fault(
        "a delete answers 200 with the entry instead of 204",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and product_deleted",
        rules="errors.accepted[product_deleted]",
    ),
    liquid_refused=Fault(
        "a fertilizer of form LIQUID is refused",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and fertilizer_form_liquid",
        rules="errors.accepted[fertilizer_form_liquid]",
    ),
    packaging_refused=Fault(
        "an item of category PACKAGING is refused",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and item_category_packaging",
        rules="errors.accepted[item_category_packaging]",
    ),
    token_type_mac=Fault(
        "the token response says token_type mac",
        breaks="auth_token_response_conforms",
        select="test_token_response",
    ),
    invalid_client_400=Fault(
        "bad client credentials get 400 instead of 401",
        breaks="auth_token_error_conforms",
        select="test_invalid_client_rejected",
        rules="auth.rules.invalid_client",
    ),
    any_grant_type_accepted=Fault(
        "any grant_type gets a token",
        breaks="auth_token_error_conforms",
        select="test_unsupported_grant_type_rejected",
        rules="auth.rules.unsupported_grant_type",
    ),
    default_size_50=Fault(
        "the default list size is 50, not 100", breaks="pagination_default_size", select="test_default_size"
    ),
    filter_crashes=Fault(
        "a list filter with a value not in upper case crashes (500)",
        breaks="schema_no_server_error",
        select="test_operation_conforms",
    ),
    other_methods_404=Fault(
        "a method a path does not support gets 404 instead of 405",
        breaks="schema_method_not_allowed",
        select="test_operation_conforms",
    ),
    rename_keeps_old_name=Fault(
        "a renamed entry's old name stays taken (a sequence sees it: rename, then create under the old name)",
        breaks="stateful_answer_as_predicted",
        select="stateful",
    ),
)

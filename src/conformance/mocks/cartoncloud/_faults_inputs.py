"""The CartonCloud mock's faults in the order of its checks and in what it answers valid input
(required fields, creates, reads, references, userinfo), and the checks each must break; the rest
are in `_faults.py`, which lists them all."""

from __future__ import annotations

from conformance.mocks.blocks.faults import Fault

INPUT_FAULTS: dict[str, Fault] = dict(
    required_fields_lax=Fault(
        "only customer and the delivery address are required: other required fields may be left out",
        breaks="errors_status_matches",
        select="test_documented_error and (missing_ or product_missing)",
        rules={
            "errors.codes[missing_references]",
            "errors.codes[missing_item_product]",
            "errors.codes[missing_item_quantity]",
            "errors.codes[consignment_missing_references]",
            "errors.codes[consignment_missing_customer]",
            "errors.codes[product_missing_name]",
            "errors.codes[product_missing_description]",
            "errors.codes[product_missing_unit]",
        },
    ),
    version_before_unknown_path=Fault(
        "Accept-Version is checked before the path: an unknown path without it gets 400, not 404",
        breaks="errors_status_matches",
        select="precedence_unknown_path_first",
        rules="errors.codes[precedence_unknown_path_first]",
    ),
    method_before_version=Fault(
        "the method is checked before Accept-Version (405 where 400 comes first)",
        breaks="errors_status_matches",
        select="precedence_version_before_method",
        rules="errors.codes[precedence_version_before_method]",
    ),
    auth_before_method=Fault(
        "authentication is checked before the method (401 where 405 comes first)",
        breaks="errors_status_matches",
        select="precedence_method_before_auth",
        rules="errors.codes[precedence_method_before_auth]",
    ),
    tenant_before_auth=Fault(
        "the tenant is checked before the token (403 where 401 comes first)",
        breaks="errors_status_matches",
        select="precedence_auth_before_tenant",
        rules="errors.codes[precedence_auth_before_tenant]",
    ),
    body_before_rate=Fault(
        "an outbound-order body is parsed before the rate limit (400 where 429 comes first)",
        breaks="errors_status_matches",
        select="precedence_rate_before_body",
        rules="errors.codes[precedence_rate_before_body]",
    ),
    create_answers_200=Fault(
        "creating an order or consignment answers 200 instead of 201",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and _created",
        rules={
            "errors.accepted[inbound_created]",
            "errors.accepted[outbound_created]",
            "errors.accepted[consignment_created]",
        },
    ),
    type_not_defaulted=Fault(
        "created orders and consignments carry no type",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and _created",
        rules={
            "errors.accepted[inbound_created]",
            "errors.accepted[outbound_created]",
            "errors.accepted[consignment_created]",
        },
    ),
    numeric_ids=Fault(
        "new orders and consignments get numeric ids instead of UUIDs",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and _created",
        rules={
            "errors.accepted[inbound_created]",
            "errors.accepted[outbound_created]",
            "errors.accepted[consignment_created]",
        },
    ),
    draft_ignored=Fault(
        "status: DRAFT on create is ignored (the workflow's initial status)",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and inbound_draft",
        rules="errors.accepted[inbound_draft]",
    ),
    no_default_warehouse=Fault(
        "an inbound order without a warehouse gets none",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and default_warehouse",
        rules="errors.accepted[default_warehouse]",
    ),
    get_answers_202=Fault(
        "reading an order answers 202 instead of 200",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and inbound_read",
        rules="errors.accepted[inbound_read]",
    ),
    transport_products_refused=Fault(
        "a product with scope TRANSPORT is refused (422)",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and product_transport_scope",
        rules="errors.accepted[product_transport_scope]",
    ),
    references_last_key_first=Fault(
        "a reference naming several keys resolves by the last present one, not the first",
        breaks="business_state_as_documented",
        select="test_reference",
    ),
    userinfo_without_tenants=Fault(
        "GET /uaa/userinfo answers without the tenants list",
        breaks="errors_valid_input_accepted",
        select="test_valid_input_accepted and userinfo",
        rules="errors.accepted[userinfo]",
    ),
    userinfo_crashes=Fault(
        "GET /uaa/userinfo crashes with a 500",
        breaks="schema_no_server_error",
        select="test_operation_conforms",
    ),
)

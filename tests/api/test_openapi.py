"""The app against its OpenAPI description, with schemathesis, for a token of each role (reliability row 49).

Every operation gets generated requests, valid (positive) and invalid
(negative), once with generated ids and once with the ids of real demo
objects, and `call_and_validate` checks each response: no 5xx, a documented
status code and content type, a body matching its schema, invalid data
rejected. Business rules legitimately refuse some schema-valid requests
(a deadline before the document's date, a unit outside the issuer's
subtree, a NUL character), so 422 counts as an answer to valid data too;
an invalid body may also be refused for its size (413).
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from tests.api.conftest import task_id

ROLES = {"admin": "admin", "leader": "hai.nv", "secretary": "thu.lt", "staff": "lan.nt"}
EXAMPLES = 3


def test_description_is_public_and_lists_every_route(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
            routes |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented
    for item in spec["paths"].values():
        for operation in item.values():
            assert operation["responses"], operation["operationId"]


def _config() -> SchemathesisConfig:
    config = SchemathesisConfig.from_dict({"checks": {
        "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422"]},
        "negative_data_rejection": {"expected-statuses": ["400", "401", "403", "404", "405", "409", "413", "422"]},
    }})
    return config


@pytest.mark.parametrize("role", ROLES)
def test_app_matches_its_description(app, api, role):
    headers = {"Authorization": f"Bearer {api.token(ROLES[role])}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=_config())
    real_ids = {"task_id": task_id("Triển khai kế hoạch ứng dụng IPv6"), "directive_id": 1, "extension_id": 1}
    ran = 0
    seen = []
    for result in schema.get_all_operations():
        operation = result.ok()
        wanted = {p.name: real_ids[p.name] for p in operation.path_parameters if p.name in real_ids}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for path_parameters in ({}, wanted) if wanted else ({},):
                strategy = operation.as_strategy(generation_mode=mode, headers=headers,
                                                 path_parameters=path_parameters or None)

                @given(case=strategy)
                @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                          phases=[Phase.explicit, Phase.generate],
                          suppress_health_check=list(HealthCheck))
                def check(case):
                    response = case.call_and_validate()
                    seen.append((operation.label, response.status_code))

                check()
                ran += 1
    assert ran >= 40
    assert sum(1 for _label, code in seen if code < 300) >= 15  # real answers, not only refusals

"""Load and cross-check a contract: contracts/<api>/openapi.yaml + profile.yaml."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from conformance.contracts.crosscheck import cross_check
from conformance.contracts.errors import ContractError
from conformance.contracts.models import Profile, Rule
from conformance.core.cache import cache_dir

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
CONTRACTS_ENV = "CONFORMANCE_CONTRACTS_DIR"


@dataclass(frozen=True)
class OperationSpec:
    """One operation of the OpenAPI document, indexed by operationId."""

    operation_id: str
    method: str
    path: str
    server: str | None
    request_example: Any
    request_content_type: str | None
    responses: dict[str, Any]
    raw: dict[str, Any] = field(repr=False)

    def path_parameter_names(self) -> list[str]:
        return re.findall(r"{([^}]+)}", self.path)


@dataclass(frozen=True)
class Contract:
    """A loaded, cross-checked contract of one API."""

    api: str
    directory: Path
    profile: Profile
    openapi: dict[str, Any] = field(repr=False)
    operations: dict[str, OperationSpec] = field(repr=False)

    def operation(self, operation_id: str) -> OperationSpec:
        try:
            return self.operations[operation_id]
        except KeyError:
            raise ContractError(
                self.directory / "openapi.yaml",
                "paths",
                "no operation has this operationId",
                value=operation_id,
                valid=sorted(self.operations),
            ) from None

    def resolved_schema(self, name: str) -> dict[str, Any]:
        """A standalone JSON Schema for components/schemas/<name>, refs resolvable."""
        schemas = self.openapi.get("components", {}).get("schemas", {})
        if name not in schemas:
            raise ContractError(
                self.directory / "openapi.yaml",
                f"components.schemas.{name}",
                "schema not defined",
                value=name,
                valid=sorted(schemas),
            )
        return {"$ref": f"#/components/schemas/{name}", "components": {"schemas": schemas}}

    def documented_fields(self, operation_id: str) -> set[str] | None:
        """The top-level fields the OpenAPI document gives the JSON body of an operation's 2xx
        answer (its schema's `properties`, through `$ref` and `allOf`); None when it names none."""
        op = self.operation(operation_id)
        answer = next((r for code, r in sorted(op.responses.items()) if str(code).startswith("2")), None)
        schema = (answer or {}).get("content", {}).get("application/json", {}).get("schema")
        fields: set[str] = set()
        pending = [schema] if isinstance(schema, dict) else []
        schemas = self.openapi.get("components", {}).get("schemas", {})
        while pending:
            current = pending.pop()
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                pending.append(schemas.get(ref.rsplit("/", 1)[-1], {}))
                continue
            fields |= set(current.get("properties", {}))
            pending += [part for part in current.get("allOf", []) if isinstance(part, dict)]
        return fields or None

    def is_read(self, operation_id: str) -> bool:
        """A read changes nothing: GET/HEAD, or an operation the profile uses only to read
        (list, get, batch_get, identity, the auth probe) whatever its HTTP method (e.g. RPC)."""
        if self.operation(operation_id).method in ("GET", "HEAD", "OPTIONS"):
            return True
        profile = self.profile
        reads = {profile.operations.identity, profile.auth.probe_operation}
        for resource in profile.operations.resources.values():
            reads |= {resource.list, resource.get, resource.batch_get}
        return operation_id in reads

    @property
    def profile_path(self) -> Path:
        return self.directory / "profile.yaml"

    def _error_alias(self, key: str) -> str:
        """`errors.codes[<id>]` and `errors.accepted[<id>]` as the positional key of that item."""
        match = re.fullmatch(r"errors\.(codes|accepted)\[([^\]]*[^\d\]][^\]]*)\](.*)", key)
        errors = self.profile.errors
        if match is None or errors is None:
            return key
        ids = [c.id for c in errors.codes] if match[1] == "codes" else [a.id for a in errors.accepted]
        index = next((i for i, item in enumerate(ids) if item == match[2]), None)
        return key if index is None else f"errors.{match[1]}[{index}]{match[3]}"

    def required_headers(self, operation_id: str | None = None) -> dict[str, str]:
        """Headers the transport rules require on this operation (e.g. `Accept-Version: 1`)."""
        transport = self.profile.transport
        if transport is None:
            return {}
        return {
            h.name: h.value for h in transport.required_headers if operation_id not in h.except_operations
        }

    @property
    def code_pointer(self) -> str | None:
        """Where the API's error bodies carry their error code (None when the profile names none)."""
        return self.profile.errors.code_pointer if self.profile.errors else None

    @property
    def rules(self) -> dict[str, Rule]:
        """Every rule of the profile by its key (`pagination.rules.walk_complete`)."""
        return self.profile.rules()

    def rule(self, key: str) -> Rule:
        """The rule at `key` (`errors.codes[3]`, or a documented error by its id:
        `errors.codes[missing_parameter]`); a ContractError naming the valid keys otherwise."""
        rules = self.rules
        key = self._error_alias(key)
        if key not in rules:
            raise ContractError(self.profile_path, key, "no rule at this key", value=key, valid=sorted(rules))
        return rules[key]


def default_contracts_dir() -> Path:
    """contracts/ of this checkout: $CONFORMANCE_CONTRACTS_DIR, the repo's, or ./contracts."""
    if env := os.environ.get(CONTRACTS_ENV):
        return Path(env)
    repo = Path(__file__).resolve().parents[3] / "contracts"
    if repo.is_dir():
        return repo
    return Path.cwd() / "contracts"


def available_apis(contracts_dir: Path | None = None) -> list[str]:
    """Contract ids that have both files, in a stable order."""
    root = contracts_dir or default_contracts_dir()
    if not root.is_dir():
        return []
    return sorted(
        p.name for p in root.iterdir() if (p / "profile.yaml").is_file() and (p / "openapi.yaml").is_file()
    )


# PyYAML's C parser where the build has it (libyaml): the pure-Python one took 1.6 s of every
# process's start for the five contracts, the C one 0.2 s (docs/PERFORMANCE.md, "Start-up")
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc]
    """YAML's safe loader, refusing a mapping that names one key twice (YAML keeps the last one
    silently: a second `enforces:` in a rule would hide the first)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContractError(path, "<file>", "file not found") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "<document>"
        raise ContractError(path, where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "<root>"


def _valid_values(error: dict[str, Any]) -> list[str] | None:
    expected = (error.get("ctx") or {}).get("expected")
    if isinstance(expected, str):
        return re.findall(r"'([^']*)'", expected) or [expected]
    return None


def load_profile(path: Path) -> Profile:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ContractError(path, "<root>", "a profile is a mapping", value=type(data).__name__)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and "[" in p))
        value = first.get("input") if first["type"] != "missing" else None
        problem = first["msg"]
        if first["type"] == "extra_forbidden":
            problem = "unknown key (a typo?)"
        more = len(exc.errors()) - 1
        if more:
            problem += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise ContractError(
            path, _dotted(loc), problem, value=value, valid=_valid_values(dict(first))
        ) from None
    for key, rule in profile.rules().items():
        rule.stamp(key)
    return profile


def load_openapi(path: Path) -> dict[str, Any]:
    document = _read_yaml(path)
    if not isinstance(document, dict):
        raise ContractError(path, "<root>", "an OpenAPI document is a mapping")
    marker = _validated_marker(path)
    if marker is not None and marker.exists():
        return document  # this very text passed this validator's version before
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(document)
    except OpenAPIValidationError as exc:
        key = ".".join(str(p) for p in getattr(exc, "absolute_path", [])) or "<root>"
        raise ContractError(path, key, f"not a valid OpenAPI 3.1 document: {exc.message}") from None
    if marker is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
    return document


def _validated_marker(path: Path) -> Path | None:
    """Where a valid document leaves its mark: named by the hash of its bytes and the validator's
    version, so an edit (or another validator) validates again. Validating the five documents took
    about 1 s of every pytest process's start; the suites, the self-check's workers and the tests'
    runs start many. CONFORMANCE_CACHE_DIR moves the cache; "off" switches it off."""
    from importlib.metadata import version

    where = cache_dir()
    if where is None:
        return None
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return where / "openapi-valid" / f"{digest}-{version('openapi-spec-validator')}"


def index_operations(document: dict[str, Any]) -> dict[str, OperationSpec]:
    index: dict[str, OperationSpec] = {}
    for path, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if not op or "operationId" not in op:
                continue
            servers = op.get("servers") or item.get("servers")
            body = (op.get("requestBody") or {}).get("content") or {}
            ctype = next(iter(body), None)
            example = body[ctype].get("example") if ctype else None
            index[op["operationId"]] = OperationSpec(
                operation_id=op["operationId"],
                method=method.upper(),
                path=path,
                server=servers[0]["url"] if servers else None,
                request_example=example,
                request_content_type=ctype,
                responses=op.get("responses", {}),
                raw=op,
            )
    return index


def load_contract_from(directory: Path) -> Contract:
    profile = load_profile(directory / "profile.yaml")
    document = load_openapi(directory / "openapi.yaml")
    operations = index_operations(document)
    cross_check(directory, profile, operations, document)
    return Contract(
        api=profile.api, directory=directory, profile=profile, openapi=document, operations=operations
    )


@cache
def _load_cached(directory: Path) -> Contract:
    return load_contract_from(directory)


def load_contract(api: str, contracts_dir: Path | None = None) -> Contract:
    root = contracts_dir or default_contracts_dir()
    directory = root / api
    if not directory.is_dir():
        raise ContractError(root, "api", "no contract with this id", value=api, valid=available_apis(root))
    return _load_cached(directory.resolve())

"""Personas: named variants of a mock that choose differently wherever the documents are silent
(CONTRACT-DECISIONS, "Latitude"). The suites must pass against every persona of every API: that is
how we know a check judges the documents and not our mock's choices.

A persona is a set of traits. The generic traits (response wording, extra fields and headers,
latency) are applied by `MockApp` to every answer; the others are read by each mock where its own
code makes the choice (`self.trait("strict_create")`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

TRAITS: Mapping[str, str] = MappingProxyType(
    {
        "strict_create": "optional fields of a create body are required",
        "tokens_counted": "token requests count against the rate limit",
        "tokens_uncounted": "token requests do not count against the rate limit",
        "other_data": "the sandbox's data has other ids, names and amounts",
        "null_accepted": "null is accepted for an optional field (as if absent)",
        "lenient_types": "numbers and booleans sent as strings are coerced",
        "integral_floats_refused": "an integral float (2.0) is refused where an integer is expected",
        "other_messages": "error messages the documents do not fix are worded differently",
        "extra_fields": "answers carry fields the documents do not name",
        "extra_headers": "answers carry headers the documents do not name",
        "slow": "every answer takes its time (on the server's clock)",
        "caseless_filters": "text filters and conditions ignore letter case",
        "tight_limit": "a rate limit tighter than documented (not conformant: polite-traffic tests only)",
    }
)


@dataclass(frozen=True, init=False)
class Persona:
    description: str
    traits: frozenset[str]
    conformant: bool  # False: it breaks a documented rule on purpose (kept out of the persona matrix)

    def __init__(self, description: str, traits: Iterable[str], *, conformant: bool = True) -> None:
        chosen = frozenset(traits)
        unknown = sorted(chosen - set(TRAITS))
        if unknown or not chosen:
            raise ValueError(f"persona {description!r}: unknown traits {unknown}; valid: {sorted(TRAITS)}")
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "traits", chosen)
        object.__setattr__(self, "conformant", conformant)


STANDARD: Mapping[str, Persona] = MappingProxyType(
    {
        "strict-create": Persona("optional fields required on create", {"strict_create"}),
        "counted-tokens": Persona("token calls count against the rate limit", {"tokens_counted"}),
        "other-data": Persona("seeded data with other ids, names and amounts", {"other_data"}),
        "lenient": Persona(
            "null accepted for optional fields; numbers and booleans as strings coerced",
            {"null_accepted", "lenient_types"},
        ),
        "strict-numbers": Persona(
            "integral floats refused where an integer is expected", {"integral_floats_refused"}
        ),
        "chatty": Persona(
            "other error wording, extra response fields and headers",
            {"other_messages", "extra_fields", "extra_headers"},
        ),
        "slow": Persona(
            "every answer takes its time (0.3 s of the virtual clock; served: 0.05 s real)", {"slow"}
        ),
    }
)
TIGHT = Persona(
    "a rate limit far tighter than documented, token calls counted",
    {"tight_limit", "tokens_counted"},
    conformant=False,
)


def persona_table(*names: str, **own: Persona) -> Mapping[str, Persona]:
    """A mock's PERSONAS: standard ones by name, plus its own."""
    table = {}
    for name in names:
        if name not in STANDARD:
            raise ValueError(f"no standard persona {name!r}; valid: {sorted(STANDARD)}")
        table[name] = STANDARD[name]
    for name, persona in own.items():
        table[name.replace("_", "-")] = persona
    return MappingProxyType(table)


class UnknownPersona(ValueError):
    def __init__(self, api: str, name: str, valid: Iterable[str]) -> None:
        super().__init__(f"{api} mock: unknown persona {name!r}. Valid: {', '.join(sorted(valid))}")

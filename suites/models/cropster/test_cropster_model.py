"""The reference model of Cropster's green inventory (seed 000; CONTRACT-DECISIONS.md, cropster):
import, set weight, transfer and list, in any order. It predicts every lot's weight (in KG, the
unit it imports in), every refusal — a transfer of more than the lot holds or of a consumed lot
(422 invalid_weight), to an unknown destination (404 resource_not_found), a negative weight (422
invalid_weight) — and that a refused write changes nothing; a transfer takes its weight from the
source and creates or tops up a lot at the destination. After every step the listing must show
each of its lots with the weight the model holds.

Nothing about the sandbox's own lots is predicted, nor which lot a transfer tops up: a destination
lot the model has not seen is new (its weight is what moved), one it has seen is topped up."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from conformance.core.prediction import Prediction, one_of
from conformance.drive import walk_pages
from conformance.stateful import ModelMachine

ITEMS = "/result/greenLots"


def items_of(page):
    found = page.json_at(ITEMS)
    return [i for i in found if isinstance(i, dict)] if isinstance(found, list) else []


pytestmark = [pytest.mark.capability("stateful"), pytest.mark.writes, pytest.mark.only_api("cropster")]

PICK = st.integers(0, 50)
AMOUNTS = st.sampled_from([0.5, 1.0, 2.5, 5.0, 12.5])  # exact in binary: sums stay exact
SHARES = ("half", "half", "all", "more")  # mostly a part: a lot takes several transfers


@dataclass
class Lot:
    number: int
    id: str
    weight: float  # KG
    imported: bool  # the model imported it (transfers start there); else a transfer's destination


class GreenInventoryModel(ModelMachine):
    def __init__(self) -> None:
        super().__init__()
        self.lots: list[Lot] = []
        self.refused = False  # the last write was refused: the listing must show it changed nothing
        self.code_pointer = self.contract.profile.errors.code_pointer or "/error/code"

    def _pick(self, index: int, *, imported: bool = False) -> Lot:
        pool = [lot for lot in self.lots if lot.imported] if imported else self.lots
        return pool[index % len(pool)]

    def _weight(self, amount: float) -> dict[str, object]:
        return {"amount": amount, "unit": "KG"}

    def _refusal(self, *codes: str, why: str) -> tuple[Prediction, str]:
        rules = [self.rule(f"errors.codes[{c}]") for c in codes]
        statuses = tuple(dict.fromkeys(s for r in rules for s in r.status))  # type: ignore[attr-defined]
        errors = [r.error for r in rules]  # type: ignore[attr-defined]
        expected = errors[0] if len(errors) == 1 else one_of(*errors)
        return Prediction(statuses, {self.code_pointer: expected}, why=why), rules[0].key

    def _known(self, lot_id: str) -> Lot | None:
        return next((lot for lot in self.lots if lot.id == lot_id), None)

    # -- rules -------------------------------------------------------------------------------------

    @rule(amount=AMOUNTS)
    def import_lot(self, amount: float) -> None:
        body = self.client.example("importGreenLot")
        body["data"]["weight"] = self._weight(amount)
        answer = self.client.call("importGreenLot", json=body)
        fields = {"/ok": True, "/result/greenLot/weight/amount": amount, "/result/greenLot/weight/unit": "KG"}
        prediction = Prediction((200,), fields, why="imported with this weight")
        number = len(self.lots) + 1
        self.expect(
            f"import lot #{number} of {amount:g} KG",
            answer,
            prediction,
            "stateful.rules.weights_follow_writes",
        )
        self.lots.append(Lot(number, str(answer.json()["result"]["greenLot"]["id"]), amount, True))
        self.refused = False

    @precondition(lambda self: self.lots)
    @rule(index=PICK, amount=st.sampled_from([0.0, 1.0, 7.5, -1.0]))
    def set_weight(self, index: int, amount: float) -> None:
        lot = self._pick(index)
        body = {"data": {"greenLotId": lot.id, "weight": self._weight(amount)}}
        answer = self.client.call("setGreenLotWeight", json=body)
        label = f"set lot #{lot.number} to {amount:g} KG"
        if amount < 0:
            prediction, cited = self._refusal("invalid_weight", why="a negative weight")
            self.expect(label, answer, prediction, cited)
            self.refused = True
            return
        why = "consumed (weight 0)" if amount == 0 else "the new weight"
        self.expect(
            label, answer, Prediction((200,), {"/ok": True}, why=why), "stateful.rules.weights_follow_writes"
        )
        lot.weight, self.refused = amount, False

    @precondition(lambda self: any(lot.imported for lot in self.lots))
    @rule(index=PICK, share=st.sampled_from(SHARES), known_destination=st.sampled_from([True, True, False]))
    def transfer(self, index: int, share: str, known_destination: bool) -> None:
        lot = self._pick(index, imported=True)
        moved = {"half": lot.weight / 2, "all": lot.weight, "more": lot.weight + 0.5}[share] or 1.0
        example = self.client.example("transferGreenLotToLocation")
        destination = str(example["data"]["destinationLocationId"])
        if not known_destination:
            destination = self.client.made_up(str(uuid.uuid4()))
        body = {
            "data": {
                "greenLotId": lot.id,
                "weight": self._weight(moved),
                "destinationLocationId": destination,
            }
        }
        answer = self.client.call("transferGreenLotToLocation", json=body)
        where = "the destination" if known_destination else "an unknown location"
        label = f"transfer {moved:g} KG of lot #{lot.number} ({lot.weight:g} KG) to {where}"
        problems = []
        if lot.weight == 0:
            problems.append(("invalid_weight", "the lot is consumed"))
        elif moved > lot.weight:
            problems.append(("invalid_weight", "more than the lot holds"))
        if not known_destination:
            problems.append(("resource_not_found", "the destination does not exist"))
        if problems:  # which refusal comes first is not documented: any of them
            why = " and ".join(reason for _, reason in problems) + "; nothing changes"
            prediction, cited = self._refusal(*dict.fromkeys(c for c, _ in problems), why=why)
            self.expect(label, answer, prediction, cited)
            self.refused = True
            return
        source = {
            "/result/sourceGreenLot/id": lot.id,
            "/result/sourceGreenLot/weight/amount": lot.weight - moved,
        }
        taken = Prediction((200,), source, why="the weight leaves the source lot")
        self.expect(label, answer, taken, "stateful.rules.transfer_moves_weight")
        target_id = str(answer.json_at("/result/destinationGreenLot/id"))
        known = self._known(target_id)
        held = known.weight if known is not None else 0.0
        why = f"lot #{known.number} topped up" if known is not None else "a new lot at the destination"
        named = {"/result/destinationGreenLot/location/id": destination}
        result = Prediction((200,), named, why="the destination lot, at the destination")
        self.expect(label, answer, result, "stateful.rules.transfer_result_destination", log=False)
        weight = {"/result/destinationGreenLot/weight/amount": held + moved}
        self.expect(
            label,
            answer,
            Prediction((200,), weight, why=why),
            "stateful.rules.transfer_moves_weight",
            log=False,
        )
        lot.weight -= moved
        if known is not None:
            known.weight += moved
        else:
            self.lots.append(Lot(len(self.lots) + 1, target_id, moved, False))
        self.refused = False

    @invariant()
    def listing_shows_the_weights(self) -> None:
        if not self.lots:
            return
        pagination = self.contract.profile.pagination
        assert pagination is not None
        wanted = {lot.id for lot in self.lots}
        pages = walk_pages(  # newest first: the model's lots are on the first page, unless they moved
            self.client,
            "listGreenLots",
            pagination,
            25,
            items=ITEMS,
            enough=lambda pages: wanted <= {i.get("id") for p in pages for i in items_of(p)},
        )
        present = {lot.id: {"/weight/amount": lot.weight, "/weight/unit": "KG"} for lot in self.lots}
        cited = "errors.atomic_writes" if self.refused else "stateful.rules.weights_follow_writes"
        self.expect_listing("list the green lots", pages, cited, items="/result/greenLots", present=present)


def test_green_inventory_answers_as_modelled(run_model):
    run_model(GreenInventoryModel)

"""Independence: copies of one text and near-duplicates from one wire are one source."""

from __future__ import annotations

from pathlib import Path

from sitrep.link.independence import (
    DocVoices, Signature, containment, independent_groups, near_duplicate, resemblance, signature,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "nk-troops-russia.fr.txt").read_text(encoding="utf-8")
OTHER_FR = (
    "Selon les services de renseignement sud-coréens, environ 12 000 soldats nord-coréens ont été envoyés en "
    "Russie, où ils suivent un entraînement dans des bases de l'Extrême-Orient russe avant d'être déployés sur "
    "le front. Le ministère russe de la Défense n'a pas commenté ces informations, et Pyongyang dément toute "
    "présence militaire sur le territoire russe."
)


def test_an_edited_copy_of_the_example_is_a_near_duplicate() -> None:
    lines = EXAMPLE.splitlines()
    copy = "\n".join(["Guerre en Ukraine : des soldats nord-coréens en Russie"] + lines[:-1] + ["(Avec AFP)"])
    a, b = signature(EXAMPLE), signature(copy)
    assert resemblance(a, b) > 0.7 and near_duplicate(a, b)


def test_a_trimmed_copy_is_contained_in_the_original() -> None:
    trimmed = "\n".join(EXAMPLE.splitlines()[:7])
    a, b = signature(EXAMPLE), signature(trimmed)
    assert containment(a, b) >= 0.8 and near_duplicate(a, b)


def test_another_article_on_the_same_event_is_not_a_copy() -> None:
    a, b = signature(EXAMPLE), signature(OTHER_FR)
    assert resemblance(a, b) < 0.2 and not near_duplicate(a, b)


def test_signatures_are_stable_and_round_trip_through_bytes() -> None:
    a = signature(EXAMPLE)
    assert signature(EXAMPLE) == a and Signature.from_bytes(a.to_bytes()) == a


def test_groups_count_copies_once_and_relays_of_known_sources_not_at_all() -> None:
    sig, other = signature(EXAMPLE), signature(OTHER_FR)
    docs = [
        DocVoices("original", sig, "2024-10-23", frozenset({"p:zlnsk"}), own=True),
        DocVoices("copy", signature(EXAMPLE + "\n(Avec AFP)"), "2024-10-24", frozenset({"p:zlnsk"}), own=True),
        DocVoices("relay", signature("Zelensky a affirmé que 10 000 soldats nord-coréens se préparent."),
                  "2024-10-24", frozenset({"p:zlnsk"})),
        DocVoices("seoul", other, "2024-10-24", frozenset({"o:nis"})),
    ]
    groups = independent_groups(docs, {"p:zlnsk": "Volodymyr Zelensky", "o:nis": "NIS"})
    counted = [g.documents for g in groups if g.independent]
    assert counted == [["original", "copy"], ["seoul"]]
    relay = next(g for g in groups if g.documents == ["relay"])
    assert not relay.independent and "Volodymyr Zelensky" in relay.reason

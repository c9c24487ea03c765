"""The quantities stage on real-world-style French and English sentences: what is counted, how
exactly, and the numbers that count nothing (years, dates, times, ages, labels, phone numbers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.pipeline import Pipeline
from sitrep.reading import read_text

Row = tuple[object, str | None, bool, str | None]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_names(["segment", "posts", "disclosure", "dating", "nlp", "quantities"])


def rows(pipeline: Pipeline, text: str) -> list[Row]:
    doc = read_text(text, published="2024-10-23", pipeline=pipeline)
    for q in doc.quantities:  # every span points at its text
        assert doc.text[q.span[0]:q.span[1]] == q.text
    return [(q.value, q.unit, q.approximate, q.bound) for q in doc.quantities]


def test_example_article(example_doc_quantities: list[Row]) -> None:
    expected = Path(__file__).resolve().parents[3] / "shared" / "examples" / "nk-troops-russia.fr.expected.json"
    wanted = json.loads(expected.read_text(encoding="utf-8"))["quantities"] if expected.exists() else [
        {"value": 3000, "unit": "troops", "approximate": False},
        {"value": 3000, "unit": "troops", "approximate": True},
        {"value": 10000, "unit": "troops"},
    ]
    for want in wanted:
        assert any(v == want["value"] and u == want["unit"] and want.get("approximate", a) == a
                   for v, u, a, _ in example_doc_quantities), want
    # "deux jours", "19 juin", "13 septembre 2023", "October 23, 2024": no quantities
    assert len(example_doc_quantities) == 3


@pytest.fixture(scope="module")
def example_doc_quantities(pipeline: Pipeline) -> list[Row]:
    text = (Path(__file__).resolve().parents[2] / "examples" / "nk-troops-russia.fr.txt").read_text(encoding="utf-8")
    return rows(pipeline, text)


@pytest.mark.parametrize("text, expected", [
    # digit groups: spaces, no-break and narrow no-break spaces, commas, decimals with a scale
    ("Kiev affirme que 12 500 soldats russes ont été mis hors de combat.", (12500, "troops", False, None)),
    ("Selon l'ONU, 6\u00a0400 civils ont été tués depuis le début de l'invasion.", (6400, "fatalities", False, None)),
    ("Le Pentagone a envoyé 1\u202f500 militaires supplémentaires.", (1500, "troops", False, None)),
    ("L'Ukraine accueille encore 1,2 million de réfugiés sur son sol.", (1200000, "refugees", False, None)),
    ("Officials said 10,000 troops had been moved to the border.", (10000, "troops", False, None)),
    ("The agency said 1.2 million people had fled the fighting.", (1200000, "displaced", False, None)),
    # words
    ("Trois mille manifestants se sont rassemblés devant le Parlement.", (3000, "protesters", False, None)),
    ("Quatre-vingt-dix drones ont été abattus dans la nuit, selon l'armée de l'air.", (90, "drones", False, None)),
    ("Vingt et un chars ont été détruits près de Koursk.", (21, "tanks", False, None)),
    ("Twenty-five soldiers were wounded in the attack.", (25, "injured", False, None)),
    ("Two hundred and fifty protesters were arrested overnight.", (250, "arrests", False, None)),
    ("Half a million refugees have crossed into Poland.", (500000, "refugees", False, None)),
    ("Deux millions et demi de personnes ont fui leur foyer.", (2500000, "displaced", False, None)),
    # quantity nouns
    ("Une dizaine de chars russes ont été détruits.", (10, "tanks", True, None)),
    ("Des centaines de civils sont toujours piégés dans la ville.", (100, "civilians", True, "at_least")),
    ("Des dizaines de milliers de manifestants ont défilé à Tbilissi.", (10000, "protesters", True, "at_least")),
    ("Dozens of protesters were detained in Moscow on Sunday.", (12, "detainees", True, "at_least")),
    ("A dozen drones were launched at Kyiv overnight.", (12, "drones", False, None)),
    ("Hundreds of thousands of refugees are sheltering in the region.", (100000, "refugees", True, "at_least")),
    ("Several hundred troops remain at the base.", (100, "troops", True, "at_least")),
    # approximation and bounds
    ("Environ 3 000 militaires nord-coréens seraient déployés.", (3000, "troops", True, None)),
    ("Près de 2 000 personnes ont été évacuées de la ville.", (2000, "evacuated", True, "at_most")),
    ("Au moins 45 morts et 120 blessés, selon un dernier bilan.", (45, "fatalities", True, "at_least")),
    ("Plus de 300 missiles ont été tirés en une semaine.", (300, "missiles", True, "at_least")),
    ("About 3,000 North Korean soldiers are in eastern Russia.", (3000, "troops", True, None)),
    ("Nearly 2,000 people were killed in the quake.", (2000, "fatalities", True, "at_most")),
    ("Up to 10,000 troops could be sent by December.", (10000, "troops", True, "at_most")),
    ("At least 45 people were killed, officials said.", (45, "fatalities", True, "at_least")),
    ("More than 200 drones were launched.", (200, "drones", True, "at_least")),
    # what is counted, from the parse
    ("Au moins 45 personnes ont été tuées dans la frappe.", (45, "fatalities", True, "at_least")),
    ("L'armée a tué 12 civils lors du bombardement.", (12, "fatalities", False, None)),
    ("The strike killed 12 civilians, the governor said.", (12, "fatalities", False, None)),
    ("Four were killed and 120 wounded in the shelling.", (120, "injured", False, None)),
    ("The death toll rose to 50 on Tuesday.", (50, "fatalities", False, None)),
    ("L'accident avait causé la mort de 15 personnes.", (15, "fatalities", False, None)),
    ("The deaths of two women found in the house are being investigated.", (2, "fatalities", False, None)),
    ("Le bilan s'élève désormais à 45, selon les secours.", (45, "fatalities", False, None)),
    # money and shares
    ("Washington a promis 10 millions de dollars d'aide humanitaire.", (10000000, "USD", False, None)),
    ("L'UE débloque 5 milliards d'euros pour Kiev.", (5000000000, "EUR", False, None)),
    ("The package is worth $61 billion.", (61000000000, "USD", False, None)),
    ("Britain pledged £3m in emergency aid.", (3000000, "GBP", False, None)),
    ("Le parti obtient 12 % des voix.", (12, "percent", False, None)),
    ("Turnout was 67 percent, the commission said.", (67, "percent", False, None)),
])
def test_counts(pipeline: Pipeline, text: str, expected: Row) -> None:
    assert expected in rows(pipeline, text)


@pytest.mark.parametrize("text, expected", [
    ("Entre 3 000 et 5 000 soldats seraient concernés.", [(3000, "troops", False, "at_least"),
                                                         (5000, "troops", False, "at_most")]),
    ("Between 3,000 and 5,000 troops took part.", [(3000, "troops", False, "at_least"),
                                                  (5000, "troops", False, "at_most")]),
    ("De 3 000 à 4 000 hommes auraient franchi la frontière.", [(3000, "people", False, "at_least"),
                                                              (4000, "people", False, "at_most")]),
])
def test_ranges(pipeline: Pipeline, text: str, expected: list[Row]) -> None:
    assert rows(pipeline, text) == expected


@pytest.mark.parametrize("text", [
    "La Russie a annexé la Crimée en 2014.",  # year
    "In 2022 troops crossed the border.",  # year before a counted noun
    "Poutine s'est rendu à Pyongyang le 19 juin.",  # date
    "Kim Jong-un s'est rendu en Russie le 13 septembre 2023.",
    "The talks were held on June 19, 2024.",
    "La réunion débutera à 14 h 30 à Bruxelles.",  # time
    "The meeting starts at 10:30 a.m.",
    "Poutine a effectué une visite de deux jours en Corée du Nord.",  # duration: the times stage
    "The offensive lasted three weeks.",
    "Un homme âgé de 45 ans a été interpellé.",  # ages
    "A 45-year-old man was arrested.",
    "The suspect, aged 45, was arrested.",
    "Le 3e régiment et la 1re brigade ont été engagés.",  # ordinals
    "The 21st brigade was moved south.",
    "L'article 5 de l'OTAN prévoit une défense collective.",  # labels
    "Article 5 of the NATO treaty was invoked.",
    "Les dirigeants du G7 se réunissent en Italie.",
    "Kiev réclame des F-16 et des Su-25.",
    "Le Boeing 737 s'est écrasé peu après le décollage.",
    "Pour tout renseignement, appelez le 01 23 45 67 89.",  # phone numbers
    "Call +1 202 555 0100 for details.",
    "Un soldat a été blessé près de Bakhmout.",  # "un" is an article
    "One of the soldiers said the unit was exhausted.",
    "Le score final est de 3 à 1.",  # numbers that count nothing named
    "Près de deux tiers des Français se disent optimistes.",  # a share, not a count
    "Esther Williams starred in Million Dollar Mermaid.",  # a title
    "No one was injured in the fire.",
    "The cathedral was built in the nineteen fifties.",
    "Read more at https://www.example.com/2024/10/23/3000-troops-deployed",  # a URL
])
def test_not_counts(pipeline: Pipeline, text: str) -> None:
    assert rows(pipeline, text) == []


def test_span_covers_cue_number_and_noun(pipeline: Pipeline) -> None:
    doc = read_text("Environ 3 000 militaires nord-coréens seraient déployés en Russie orientale.",
                    published="2024-10-23", pipeline=pipeline)
    assert [q.text for q in doc.quantities] == ["Environ 3 000 militaires"]
    assert doc.quantities[0].id == "q1"
    assert isinstance(doc.quantities[0].value, int)

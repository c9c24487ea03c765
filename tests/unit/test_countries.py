"""The country data and its API: every UN member state, surface forms in French and English."""

from __future__ import annotations

import pytest

from sitrep.countries import (
    country_name, country_of, country_table, find_mentions, lookup, mention_pattern, normalise,
)


def test_every_un_member_state_and_common_territories() -> None:
    table = country_table()
    assert sum(1 for c in table.values() if c.status == "un") == 193
    for iso3 in ("PSE", "VAT", "XKX", "TWN", "ESH", "HKG", "MAC", "GRL", "PRI"):
        assert iso3 in table
    for info in table.values():
        assert len(info.iso3) == 3 and info.iso3.isupper() and len(info.iso2) == 2
        assert info.names["en"] and info.names["fr"], info.iso3


def test_every_country_has_french_and_english_forms() -> None:
    for info in country_table().values():
        for lang in ("fr", "en"):
            assert info.forms[lang], (info.iso3, lang)
            # its own name reads back as itself
            assert country_of(info.names[lang], lang) == info.iso3, (info.iso3, info.names[lang])


@pytest.mark.parametrize("text, lang, iso3", [
    ("nord-coréennes", "fr", "PRK"), ("nord-coréen", "fr", "PRK"), ("Nord-Coréens", "fr", "PRK"),
    ("ukrainien", "fr", "UKR"), ("ukrainienne", "fr", "UKR"), ("ukrainiens", "fr", "UKR"),
    ("ukrainiennes", "fr", "UKR"), ("North Korean", "en", "PRK"), ("North Koreans", "en", "PRK"),
    ("grecque", "fr", "GRC"), ("turques", "fr", "TUR"), ("allemandes", "fr", "DEU"), ("françaises", "fr", "FRA"),
    ("sud-africaine", "fr", "ZAF"), ("néo-zélandais", "fr", "NZL"), ("burkinabè", "fr", "BFA"),
    ("Filipinos", "en", "PHL"), ("Swiss", "en", "CHE"), ("Britons", "en", "GBR"), ("Emirati", "en", "ARE"),
    ("Moscou", "fr", "RUS"), ("le Kremlin", "fr", "RUS"), ("Kremlin", "en", "RUS"), ("Pyongyang", "fr", "PRK"),
    ("Washington", "en", "USA"), ("la Maison-Blanche", "fr", "USA"), ("White House", "en", "USA"),
    ("Kyiv", "en", "UKR"), ("Kiev", "fr", "UKR"), ("Pékin", "fr", "CHN"), ("Beijing", "en", "CHN"),
    ("les États-Unis", "fr", "USA"), ("Etats-Unis", "fr", "USA"), ("U.S.", "en", "USA"), ("Türkiye", "en", "TUR"),
    ("Fédération de Russie", "fr", "RUS"), ("Democratic People's Republic of Korea", "en", "PRK"),
    ("RPDC", "fr", "PRK"), ("RDC", "fr", "COD"), ("Côte d'Ivoire", "fr", "CIV"), ("Côte d’Ivoire", "fr", "CIV"),
    ("Palestine", "fr", "PSE"), ("Kosovo", "en", "XKX"), ("Taïwan", "fr", "TWN"), ("Western Sahara", "en", "ESH"),
    ("Hong Kong", "fr", "HKG"), ("Downing Street", "en", "GBR"), ("l'Élysée", "fr", "FRA"),
])
def test_country_of(text: str, lang: str, iso3: str) -> None:
    assert country_of(text, lang) == iso3


@pytest.mark.parametrize("text, lang", [
    ("us", "en"), ("Amérique latine", "fr"), ("Latin America", "en"), ("Paris Hilton", "fr"), ("troupes", "fr"),
    ("Europe", "en"), ("russo", "fr"),
])
def test_not_countries(text: str, lang: str) -> None:
    assert country_of(text, lang) is None


def test_country_of_falls_back_to_the_other_language() -> None:
    assert country_of("North Korea", "fr") == "PRK"
    assert country_of("Corée du Nord", "en") == "PRK"


def test_country_name() -> None:
    assert country_name("RUS", "en") == "Russia"
    assert country_name("RUS", "fr") == "Russie"
    assert country_name("PRK", "fr") == "Corée du Nord"


def test_forms_of_one_language_never_name_two_countries() -> None:
    for lang in ("fr", "en"):
        seen: dict[str, str] = {}
        for info in country_table().values():
            for form in info.forms[lang]:
                key = normalise(form.text)
                assert seen.setdefault(key, info.iso3) == info.iso3, (lang, form.text, seen[key], info.iso3)


def test_mentions_in_french_text() -> None:
    text = ("La Corée du Nord a déployé des troupes nord-coréennes en Russie, mais les États-Unis et "
            "Pyongyang démentent; la guerre russo-ukrainienne continue en Amérique latine.")
    found = [(m.text, m.iso3) for m in find_mentions(text, "fr")]
    assert found == [
        ("Corée du Nord", "PRK"), ("nord-coréennes", "PRK"), ("Russie", "RUS"), ("États-Unis", "USA"),
        ("Pyongyang", "PRK"), ("russo", "RUS"), ("ukrainienne", "UKR"),
    ]


def test_mentions_in_english_text_respect_case() -> None:
    text = "US officials told us that North Korean troops reached Russia; the U.S. and the UK agree. russian"
    found = [(m.text, m.iso3) for m in find_mentions(text, "en")]
    assert found == [("US", "USA"), ("North Korean", "PRK"), ("Russia", "RUS"), ("U.S.", "USA"), ("UK", "GBR")]


def test_lower_case_names_are_not_countries_but_french_adjectives_are() -> None:
    assert [m.text for m in find_mentions("la chine et la turquie; un diplomate chinois", "fr")] == ["chinois"]


def test_longest_form_wins() -> None:
    text = "la Guinée-Bissau, la Guinée équatoriale, la Papouasie-Nouvelle-Guinée et la Guinée"
    assert [m.iso3 for m in find_mentions(text, "fr")] == ["GNB", "GNQ", "PNG", "GIN"]
    assert [m.iso3 for m in find_mentions("South Sudan and Sudan; Niger and Nigeria", "en")] == ["SSD", "SDN", "NER", "NGA"]


def test_weak_forms_are_flagged() -> None:
    assert lookup("Jordan", "en").weak == "~"
    assert lookup("Maurice", "fr").weak == "?"
    assert lookup("Jordanie", "fr").weak == ""


def test_handles_are_not_mentions() -> None:
    assert find_mentions("— CNN (@Russia) and #Ukraine", "en")[0].text == "Ukraine"


def test_one_compiled_pattern_per_language() -> None:
    assert mention_pattern("fr") is mention_pattern("fr")
    assert mention_pattern("fr") is not mention_pattern("en")

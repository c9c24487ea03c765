import pytest

from sitrep import read_text

BODY = "Le gouvernement a présenté mardi son projet de budget pour 2025, qui prévoit 40 milliards d'économies.\n"


@pytest.mark.parametrize(
    "statement",
    [
        "Ce contenu a été créé avec l'aide de l'IA.",
        "Cet article a été rédigé avec l’aide d’une intelligence artificielle et relu par la rédaction.",
        "Article généré à l'aide de l'IA, vérifié par un journaliste.",
        "This article was generated with the assistance of AI.",
        "This story was written with the help of artificial intelligence and edited by our staff.",
        "AI tools were used to help write this article.",
    ],
)
def test_disclosures_found_in_both_languages(statement: str) -> None:
    doc = read_text(BODY + statement)
    assert doc.ai_disclosure is not None
    assert doc.ai_disclosure.text == statement
    assert doc.text[slice(*doc.ai_disclosure.span)] == statement
    assert doc.segments[-1].kind == "disclosure"


@pytest.mark.parametrize(
    "sentence",
    [
        "L'armée utilise l'IA pour repérer les cibles, a indiqué un officier.",
        "The company said its new AI model was created by a team of 40 engineers.",
        "Le texte a été rédigé avec l'aide de juristes européens.",
    ],
)
def test_articles_about_ai_are_not_disclosures(sentence: str) -> None:
    assert read_text(BODY + sentence).ai_disclosure is None

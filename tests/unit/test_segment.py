import pytest

from sitrep import read_text
from sitrep.errors import InputError
from sitrep.stages.segment import detect_language, split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_sentences_split_on_final_punctuation_not_abbreviations() -> None:
    text = ("M. Macron a reçu le Dr. Tedros à l'Élysée. Le président a parlé. "
            "« Nous restons mobilisés. » Ensuite, J. Biden a appelé. U.S. officials said so.")
    assert _sentences(text) == [
        "M. Macron a reçu le Dr. Tedros à l'Élysée.", "Le président a parlé.",
        "« Nous restons mobilisés. »", "Ensuite, J. Biden a appelé.", "U.S. officials said so.",
    ]


def test_numbers_do_not_end_sentences() -> None:
    assert len(_sentences("Le bilan est de 3.5 millions de déplacés selon l'ONU. Il augmente.")) == 2


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("La Corée du Nord a déployé des troupes en Russie, selon Washington.", "fr"),
        ("North Korea has deployed troops to Russia, the Pentagon said on Wednesday.", "en"),
        ("Nordkorea hat Truppen nach Russland verlegt, sagte das Pentagon.", "de"),
        ("— CNN (@CNN) 23", None),
    ],
)
def test_language_detection(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_mixed_document_marks_each_segment() -> None:
    doc = read_text(
        "Le Pentagone a confirmé mercredi la présence de soldats nord-coréens en Russie.\n"
        "Der Kreml hat die Berichte bisher nicht kommentiert, hieß es in Moskau.\n"
        "Les autorités ukrainiennes redoutent un déploiement sur le front."
    )
    assert doc.language == "fr"
    assert [(s.language, s.supported) for s in doc.segments] == [("fr", True), ("de", False), ("fr", True)]
    # The unsupported segment is kept but not parsed.
    assert len(doc.parsed) == 2


def test_unsupported_main_language_is_refused() -> None:
    with pytest.raises(InputError, match="language 'de' is not supported"):
        read_text("Nordkorea hat nach Angaben des Pentagons Truppen nach Russland verlegt. Die Soldaten sollen im Osten trainieren.")

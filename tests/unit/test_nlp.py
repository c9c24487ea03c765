import pytest

from sitrep import read_text


def _tokens(text: str) -> list[str]:
    doc = read_text(text, published="2024-11-01")
    return [t.text for p in doc.parsed for t in p.doc]


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_digit_groups_become_one_token(space: str) -> None:
    text = f"Environ 3{space}000 soldats et 1{space}250{space}000 déplacés, selon l'ONU, sur 10{space}000 kilomètres."
    tokens = _tokens(text)
    assert f"3{space}000" in tokens and f"1{space}250{space}000" in tokens and f"10{space}000" in tokens


def test_years_next_to_numbers_are_not_merged() -> None:
    tokens = _tokens("En 2023 300 soldats ont été blessés, et 12 000 en 2024.")
    assert "2023" in tokens and "300" in tokens and "12 000" in tokens


def test_token_offsets_point_into_document_text() -> None:
    doc = read_text("Première ligne du texte, assez longue.\nLe Pentagone a confirmé 3 000 soldats en Russie.")
    for parsed in doc.parsed:
        for tok in parsed.doc:
            assert doc.text[parsed.offset + tok.idx: parsed.offset + tok.idx + len(tok.text)] == tok.text

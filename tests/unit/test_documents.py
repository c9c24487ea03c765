from sitrep.documents import document_id, normalize_text, to_document
from sitrep.models import RawDocument, Source


def test_normalisation_nfc_newlines_and_kept_no_break_spaces() -> None:
    decomposed = "Cafe\u0301 a\u0300 Noume\u0301a\r\n\r\n\r\n\r\nEnviron 3\u00a0000 soldats\u202f!  \r"
    text = normalize_text(decomposed)
    assert text == "Café à Nouméa\n\nEnviron 3\u00a0000 soldats\u202f!"


def test_id_is_sha256_of_normalised_text() -> None:
    a = to_document(RawDocument("Texte\r\nsuite", Source(path="a")))
    b = to_document(RawDocument("Texte\nsuite\n\n", Source(path="b")))
    assert a.id == b.id == document_id("Texte\nsuite")
    assert a.id.startswith("sha256:") and len(a.id) == 7 + 64

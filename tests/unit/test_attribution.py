"""Attribution: quotes and reported speech, their speakers and the channels they came through.

Real news sentences in French and English, through the real pipeline (spaCy models, and the
entities stage when it is there: sources are then matched by entity name, else by the
speaker's words)."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path

from sitrep import read_text
from sitrep.models import Attribution, Document
from sitrep.pipeline import Pipeline, stage_names
from sitrep.settings import Settings
from sitrep.stages.attribution import AttributionStage, find_quotes

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nk-troops-russia.fr.txt"
EXPECTED = Path(__file__).resolve().parents[3] / "shared" / "examples" / "nk-troops-russia.fr.expected.json"
_BEFORE = ("segment", "posts", "disclosure", "dating", "nlp", "entities", "times")


@cache
def _base() -> Pipeline:
    return Pipeline.from_names([n for n in _BEFORE if n in stage_names()])


@cache
def analyse(text: str, published: str = "2024-10-23") -> Document:
    doc = read_text(text, published=published, pipeline=_base())
    return next(AttributionStage(Settings()).pipe([doc]))


def _fold(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "").encode("ascii", "ignore").decode().lower()
    return " ".join(s.replace("’", "'").split())


def names(doc: Document, a: Attribution) -> list[str]:
    """Every name a matcher may use for the source: entity name/aliases, else the speaker's words."""
    out = []
    ent = next((e for e in doc.entities if e.id == a.source), None)
    if ent is not None:
        out += [ent.name, *ent.aliases] + [doc.text[s:e] for s, e in ent.mentions]
    speaker = a.cue.get("speaker")
    if speaker:
        out.append(speaker["text"])
        if speaker.get("refers_to"):
            out.append(speaker["refers_to"]["text"])
    return [_fold(n) for n in out]


def said_by(doc: Document, a: Attribution, name: str) -> bool:
    return any(_fold(name) in n or (n and n in _fold(name)) for n in names(doc, a))


def find(doc: Document, contains: str) -> Attribution:
    hits = [a for a in doc.attributions if _fold(contains) in _fold(a.content["text"])]
    assert hits, f"no attribution contains {contains!r}: {[a.content['text'] for a in doc.attributions]}"
    return min(hits, key=lambda a: len(a.content["text"]))


# -- the example article ----------------------------------------------------------------------

def test_every_expected_attribution_of_the_example_is_found() -> None:
    doc = analyse(EXAMPLE.read_text(encoding="utf-8"))
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["attributions"]
    by_id = {a.id: a for a in doc.attributions}
    for item in expected:
        a = find(doc, item["contains"])
        if "source" in item:
            assert said_by(doc, a, item["source"]), (item, a)
        if "direct" in item:
            assert a.direct is item["direct"], (item, a)
        if item.get("source_anonymous"):
            ent = next((e for e in doc.entities if e.id == a.source), None)
            if "entities" in stage_names():
                assert ent is not None and ent.anonymous and ent.country == item["source_country"], (item, a)
            else:
                assert "responsable" in a.cue["speaker"]["text"]
        if "via" in item:
            assert a.via is not None
            channel = next((e for e in doc.entities if e.id == a.via), None)
            through = [_fold(channel.name)] if channel else names(doc, by_id[a.via])
            assert any(_fold(item["via"]) in n for n in through), (item, a)


def test_example_pronoun_speaker_and_floating_quote() -> None:
    doc = analyse(EXAMPLE.read_text(encoding="utf-8"))
    a = find(doc, "d’ici décembre")
    assert a.cue["speaker"]["text"] == "Il" and a.cue["text"] == "affirme"
    assert said_by(doc, a, "Zelensky")
    quote = find(doc, "Nous constatons des preuves")
    assert quote.direct and said_by(doc, quote, "Lloyd Austin")
    assert "confirmé" in quote.cue["text"]
    # the reporting verb inside the quote is the quoted speaker's own words, not a new claim
    assert not any(a.cue.get("text") == "constatons" for a in doc.attributions)


# -- French -----------------------------------------------------------------------------------

def test_fr_inverted_quote_with_pronoun_speaker() -> None:
    doc = analyse("Bernard comparaissait hier devant le tribunal correctionnel de Belfort. "
                  "« Il était derrière un arbre », dit-elle dans sa déposition lue par le juge unique.")
    a = find(doc, "Il était derrière un arbre")
    assert a.direct and a.cue["text"] == "dit"
    assert a.cue["speaker"]["text"] == "elle"


def test_fr_denial_with_que_clause_and_participle() -> None:
    doc = analyse("Cependant, le Kremlin a démenti que le chef de l'Etat soit malade, indiquant laconiquement "
                  "que l'entretien «ne figurait pas sur l'agenda» du chef de l'Etat.")
    a = find(doc, "le chef de l'Etat soit malade")
    assert not a.direct and "démenti" in a.cue["text"] and said_by(doc, a, "Kremlin")
    b = find(doc, "ne figurait pas sur l'agenda")
    assert b.cue["text"] == "indiquant" and said_by(doc, b, "Kremlin")


def test_fr_selon_source_and_anonymous_de_source() -> None:
    doc = analyse("La plupart des grandes villes algériennes ont été touchées par cette gigantesque panne "
                  "qui serait due à un « incident » à la centrale d'Alger, selon une source officielle.")
    a = find(doc, "grandes villes algériennes")
    assert a.cue["text"] == "selon" and "source officielle" in a.cue["speaker"]["text"]
    doc = analyse("Deux suspects ont été interpellés dans la nuit, de source policière.")
    a = find(doc, "Deux suspects ont été interpellés")
    assert a.cue["text"] == "de source" and "policière" in a.cue["speaker"]["text"]


def test_fr_impersonal_on_has_no_speaker_and_told_to_media_is_a_channel() -> None:
    doc = analyse("La fonction de Mufti de la République a été créée par le gouvernement algérien, "
                  "a-t-on annoncé hier à Alger.")
    a = find(doc, "fonction de Mufti")
    assert a.cue["speaker"] is None and a.source is None
    doc = analyse("Le ministre a déclaré à CNN que les négociations avaient échoué.")
    a = find(doc, "les négociations avaient échoué")
    assert a.cue["channel"]["text"] == "CNN" and said_by(doc, a, "ministre")


def test_fr_colon_introduction_and_continuation_quote() -> None:
    doc = analyse("Hervé Mangin, le patron du camping de Bouzey, confirme. « Je mets les quotidiens étrangers "
                  "en rayon à partir du mois de juin. Avant, ça ne vaut pas le coup. »\n"
                  "L'adjoint précisa : « Bavilliers peut réussir à développer tous ces objectifs. »")
    a = find(doc, "Je mets les quotidiens étrangers")
    assert a.direct and said_by(doc, a, "Hervé Mangin")
    b = find(doc, "Bavilliers peut réussir")
    assert b.direct and said_by(doc, b, "adjoint")


def test_fr_no_attribution_in_plain_facts_and_titles() -> None:
    doc = analyse("Deux œuvres réalisées au CICV d'Hérimoncourt seront diffusées sur Arte dans le cadre de "
                  "l'émission « Les nuits de la pleine lune » ce soir. La Corée du Nord a déployé 3 000 de ses "
                  "troupes en Russie. Selon la tradition, le maire ouvre le bal.")
    assert doc.attributions == ()


# -- English ----------------------------------------------------------------------------------

def test_en_quote_before_speaker_and_confirmed_to_outlet() -> None:
    doc = analyse('"We appreciate your respect to her and her family\'s privacy at this time," the 33-year-old '
                  "actress's rep Jack Ketsoyan told the magazine. Tara Reid has entered a rehab program, the "
                  "American Pie star's rep confirmed to People on Friday.", "2008-12-05")
    a = find(doc, "We appreciate your respect")
    assert a.direct and said_by(doc, a, "Jack Ketsoyan") and a.cue["text"] == "told"
    b = find(doc, "Tara Reid has entered a rehab program")
    assert not b.direct and "rep" in b.cue["speaker"]["text"] and b.cue["text"] == "confirmed"
    doc = analyse("A spokesman for the ministry told Reuters that the convoy had turned back.", "2024-05-02")
    c = find(doc, "the convoy had turned back")
    assert c.cue["channel"]["text"] == "Reuters" and said_by(doc, c, "spokesman")


def test_en_according_to_and_nested_report() -> None:
    doc = analyse("At least 12 people were killed in the blast, according to local officials. "
                  "The company denied that it had laid off workers, the AP reported.", "2024-05-02")
    a = find(doc, "At least 12 people were killed")
    assert a.cue["text"] == "according to" and said_by(doc, a, "local officials")
    inner = find(doc, "it had laid off workers")
    outer = find(doc, "The company denied")
    assert said_by(doc, inner, "company") and said_by(doc, outer, "AP")
    assert inner.via in (outer.id, outer.source)


def test_en_passive_by_agent_and_said_on_twitter() -> None:
    doc = analyse("The death toll was confirmed by the health ministry on Sunday. "
                  "The mayor said on Twitter that the evacuation would continue overnight.", "2024-05-02")
    a = find(doc, "the evacuation would continue overnight")
    assert said_by(doc, a, "mayor") and a.cue["channel"]["text"] == "Twitter"
    b = find(doc, "death toll")
    assert said_by(doc, b, "health ministry")


def test_en_no_attribution_without_reported_content() -> None:
    doc = analyse('The film "American Pie" was released in 1999. He said goodbye to his team. '
                  "According to plan, the bridge reopened on Monday.", "2024-05-02")
    assert doc.attributions == ()


def test_quotes_pair_french_english_and_straight_marks_but_not_apostrophes() -> None:
    text = "Il s’agit de « Corps flottants ». She said “no”. He called it \"a mess\" and ‘a shame’ — l’enquête."
    inner = [text[q.inner[0]:q.inner[1]] for q in find_quotes(text)]
    assert inner == ["Corps flottants", "no", "a mess", "a shame"]

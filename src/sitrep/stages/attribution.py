"""Stage `attribution`: who says what, through whom — quotes and reported speech.

Works from the existing spaCy parse (no second pass over the text with a model) and from the
per-language lexicons `attribution_*` (reporting verbs and nouns, source markers such as
"selon"/"according to", channels such as agencies and platforms, time nouns, "auprès de"-type
origins, reporting phrases such as "faire état"). It finds:
- reported speech: a reporting verb with its clausal complement ("X affirme que …", "X said …"),
  in either order ("…, police said"), passive ("a été confirmé par X"), its infinitive
  ("a dit avoir …", "a accusé les médias d'utiliser …", "lui reprochent d'avoir …"), a request's or
  a promise's ("a demandé au préfet de …", "vowed not to …"); not a question ("asked why …"), a
  purpose ("so the public can see"), nor an infinitive under a negation ("n'a pas pu dire que");
- incises, the reporting clause after what it reports with its subject after the verb (French
  inversion, English "said X"): "« … », a-t-elle précisé", "…, a expliqué à l'AFP le
  porte-parole", "…, a-t-on appris de source proche du dossier"; the content is the text before
  the incise, which holds up where the parser does not; "…, comme l'a indiqué X";
- a quote that a speech verb governs ("a dénoncé les « paroles tronquées »", "called it “a
  disaster”");
- direct quotes in « », “ ”, " " and ‘ ’, tied to the reporting verb of their sentence, to a
  colon introduction ("X : « … »"), or to the previous sentence (floating quotes "confirmé par
  … Lloyd Austin:" then the quote on its own line, and quotes that continue a speaker's words);
- source markers ("selon X", "d'après X", "à en croire X", "de source policière", "according to
  X", and "Pour lui, …" opening a sentence with a person), also with
  a relative ("selon ce qu'a constaté X", "l'ONU, d'après qui …") and credit lines ("« … » —
  Une citation de X"); set off by commas mid-sentence, a marker sources the whole sentence;
- reporting nouns with a clause ("l'annonce que …", "his claim that …");
- embedded posts: the post is its author's words, and claims reported inside it came through
  the post (`via`), as does a statement made "à CNN" / "to CNN" or sourced "selon l'AFP".

Speakers resolve to entities of `doc.entities` by span overlap; pronouns ("Il affirme") resolve
to the last speaker they agree with (gender and number in French; "he"/"she" a person, "it" not),
else to the person last named. A definite description that names no entity ("The agency said",
"le ministère a démenti") stands for the latest organisation whose name or kind fits its head
noun (`attribution_speakers`); any other speaker phrase with no entity becomes a new entity
("South Korea's spy agency", "a local resident" — anonymous when generic), so that `source` is
always an entity id when a speaker is named. The speaker's words stay in
`cue["speaker"]` = {text, span[, refers_to]}.

The work is split by role: `attribution_spans` (quote marks and the extent of reported words),
`attribution_cues` (the lexicon and what counts as a reporting verb), `attribution_syntax` (the
clause around a cue: subjects, incises, speakers' noun phrases), `attribution_verbs` and
`attribution_finder` (the finder, by kind of cue), `attribution_speakers` (speaker phrases to
entities); this module turns what the finder found into `Attribution` records and chains them.

This module must not decide how certain a claim is: that is the `certainty` stage's job.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..models import Attribution, Document, Span
from ..pipeline import DocumentStage, register_stage
from .attribution_finder import _Finder
from .attribution_spans import _tok_span, find_quotes
from .attribution_speakers import _entity_at, _focus, _speaker_entity
from .attribution_verbs import _Found

__all__ = ["AttributionStage", "find_attributions", "find_quotes"]


# "it" speaks when it is the subject of an active reporting verb ("the company said it …, it
# added"); the dummy "it" of "it is believed that" never gets there (a passive without agent).
_PERSONAL = {
    "fr": frozenset({"il", "elle", "ils", "elles", "lui", "eux", "celui-ci", "celle-ci"}),
    "en": frozenset({"he", "she", "they", "him", "her", "them", "it"}),
}


def find_attributions(doc: Document) -> list[Attribution]:
    return list(_find_attributions(doc)[0])


def _find_attributions(doc: Document) -> tuple[list[Attribution], Document]:
    finder = _Finder(doc)
    found = finder.run()
    text = doc.text
    out: list[Attribution] = []
    sources: list[str | None] = [None] * len(found)
    # Named speakers first, in text order, so that a definite description finds the latest
    # antecedent and a pronoun afterwards finds the entity its antecedent speaker became.
    order = sorted((i for i, f in enumerate(found) if f.speaker is not None),
                   key=lambda i: found[i].speaker[0])  # type: ignore[index]
    pronouns: list[tuple[int, Span | None]] = []
    for i in order:
        f = found[i]
        assert f.speaker is not None
        head = None
        if f.speaker_head is not None:
            sent = next((s for s in finder.sentences if s.span.doc is f.speaker_head.doc), None)
            head = _tok_span(f.speaker_head, sent.offset) if sent is not None else None
        pronoun = f.speaker_head is not None and f.speaker_head.pos_ == "PRON" and \
            f.speaker_head.lower_.split("-")[-1] in _PERSONAL.get(f.speaker_head.lang_, frozenset())
        if pronoun:
            pronouns.append((i, head))
            continue
        ent = _entity_at(doc, f.speaker, head)
        if ent is None:
            doc, ent = _speaker_entity(doc, f.speaker, f.speaker_head, head)
        sources[i] = ent.id if ent is not None else None
    for i, head in pronouns:
        f = found[i]
        assert f.speaker is not None
        ent = _entity_at(doc, f.speaker, head)
        if ent is None or ent.kind not in ("person", "group"):
            ent, f.refers_to = _focus(doc, finder, f, f.speaker[0])
        sources[i] = ent.id if ent is not None else None
    for i, (f, source) in enumerate(zip(found, sources)):
        cue: dict[str, Any] = {"text": None, "span": None}
        if f.cue:
            cue = {"text": text[f.cue[0]:f.cue[1]], "span": list(f.cue)}
        if f.speaker is not None:
            cue["speaker"] = {"text": text[f.speaker[0]:f.speaker[1]], "span": list(f.speaker)}
            if f.refers_to is not None:
                cue["speaker"]["refers_to"] = {"text": text[f.refers_to[0]:f.refers_to[1]], "span": list(f.refers_to)}
        else:
            cue["speaker"] = None
        if f.channel is not None:
            cue["channel"] = {"text": text[f.channel[0]:f.channel[1]], "span": list(f.channel)}
        via = _via(doc, found, sources, i)
        out.append(Attribution(
            id=f"a{i + 1}", source=source, cue=cue,
            content={"text": text[f.content[0]:f.content[1]], "span": list(f.content)},
            direct=f.direct, via=via,
        ))
    return out, doc


def _via(doc: Document, found: list[_Found], sources: list[str | None], i: int) -> str | None:
    """The channel a claim came through: an outlet it was told to, or an enclosing attribution
    (a post, "…, the AP reported") — as that channel's entity id when known, else its id."""
    f = found[i]
    if f.channel is not None:
        for ent in doc.entities:
            if any(s < f.channel[1] and f.channel[0] < e for s, e in ent.mentions):
                return ent.id
    anchor = f.cue[0] if f.cue is not None else f.content[0]
    outer = [j for j, g in enumerate(found) if j != i and g.content[0] <= anchor < g.content[1]
             and (g.content[1] - g.content[0]) > (f.content[1] - f.content[0])]
    if not outer:
        return None
    j = min(outer, key=lambda j: found[j].content[1] - found[j].content[0])
    return sources[j] or f"a{j + 1}"


class AttributionStage(DocumentStage):
    name = "attribution"
    requires = ("segments", "parsed", "entities", "embedded_posts")
    assigns = ("attributions", "entities")

    def annotate(self, doc: Document) -> Document:
        attributions, doc = _find_attributions(doc)
        return replace(doc, attributions=tuple(attributions))


register_stage("attribution")(AttributionStage)

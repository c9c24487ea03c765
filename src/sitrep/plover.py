"""The PLOVER event ontology and the language data that recognises its events.

What it is for: the 16 PLOVER types with their modes, quad categories and CAMEO root codes
(`data/plover.tsv`), the mapping of older gold-standard labels onto them, and the trigger
lexicons of each language (`lexicons/<lang>/events_*.tsv|txt`): which lemma, verbal or nominal,
denotes which type and mode, under which conditions on its arguments ("envoyer" + troops is
MOBILIZE, "envoyer" + aid is AID), and the word lists the argument rules need (noun classes,
weapon words that give the mode, prepositions and their roles, support verbs).

What it must not do: look at a parse. It holds data and answers questions about words; the
`events` stage decides from the dependency tree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from . import lexicons

__all__ = [
    "TYPES", "PloverType", "Trigger", "Condition", "plover_types", "cameo_root", "from_gold_label",
    "triggers", "word_classes", "classes_of", "mode_words", "context_words", "preposition_roles",
    "word_set", "function_words", "content_mode", "COOPERATIVE", "CONFLICTUAL", "VERBAL_ACTS", "MOVERS",
    "PATIENT_CLASSES",
]

TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "REJECT", "ACCUSE", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
# An intention to do one of these is a promise (AGREE); to do one of those, a threat (THREATEN).
COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
CONFLICTUAL = frozenset({"REQUEST", "REJECT", "ACCUSE", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                         "COERCE", "ASSAULT"})
# Speech acts whose complement is their content, not a second event: "threatened to strike",
# "refused to withdraw", "demanded that troops leave" are one event each (PLOVER codes the act).
VERBAL_ACTS = frozenset({"AGREE", "REQUEST", "REJECT", "ACCUSE", "THREATEN"})

# Types whose theme is the actor's own force or goods ("déployer des troupes", "livrer de l'aide"):
# the theme's nationality is the actor, not a target.
MOVERS = frozenset({"MOBILIZE", "RETREAT", "AID", "CONSULT"})
# Noun classes that name what an act is done to, not who does it ("la libération des otages").
PATIENT_CLASSES = frozenset({"captive", "person", "refugee", "property", "territory", "aid", "money",
                             "diplomat", "observer", "publication", "road"})
# The mode a speech act takes from the type of its content ("threatened to strike" → violence).
_CONTENT_MODES = {
    "THREATEN": {"ASSAULT": "violence", "MOBILIZE": "violence", "COERCE": "restrict", "PROTEST": "restrict",
                 "SANCTION": "relations", "RETREAT": "relations", "REJECT": "relations"},
    "REQUEST": {"AID": "assist", "COOPERATE": "assist", "RETREAT": "yield", "CONCEDE": "yield",
                "CONSULT": "meet", "AGREE": "meet"},
    "REJECT": {"AID": "assist", "COOPERATE": "assist", "RETREAT": "yield", "CONCEDE": "yield",
               "CONSULT": "meet", "AGREE": "meet", "MOBILIZE": "assist"},
}

# Older PLOVER gold-standard labels → current type and mode.
_GOLD_LABELS = {
    "DEMAND": ("REQUEST", None), "DISAPPROVE": ("ACCUSE", "disapprove"),
    "INVESTIGATE": ("ACCUSE", "investigate"), "FIGHT": ("ASSAULT", None),
}


@dataclass(frozen=True)
class PloverType:
    name: str
    quad: str
    cameo: str
    modes: dict[str, str]  # mode → CAMEO root when the mode moves it, else the type's root
    context_cameo: dict[str, str]
    description: str


def _data_rows(name: str) -> Iterable[list[str]]:
    text = resources.files("sitrep").joinpath("data", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield [cell.strip() for cell in line.split("\t")]


def _pairs(cell: str, default: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in cell.split("|") if cell and cell != "-" else ():
        key, _, value = item.partition(":")
        out[key] = value or default
    return out


@cache
def plover_types() -> dict[str, PloverType]:
    """Every PLOVER type by name, read from data/plover.tsv."""
    out = {}
    for name, quad, cameo, modes, contexts, description in _data_rows("plover.tsv"):
        out[name] = PloverType(name, quad, cameo, _pairs(modes, cameo), _pairs(contexts, cameo), description)
    return out


def cameo_root(type_: str, mode: str | None = None, contexts: Iterable[str] = ()) -> str | None:
    """The CAMEO root code (two digits) of a PLOVER type, refined by mode, then by context."""
    info = plover_types().get(type_)
    if info is None:
        return None
    if mode and mode in info.modes and info.modes[mode] != info.cameo:
        return info.modes[mode]
    for context in contexts:
        if context in info.context_cameo:
            return info.context_cameo[context]
    return info.cameo


def content_mode(act: str, content: str) -> str | None:
    """The mode of a speech act of type `act` whose content is an event of type `content`."""
    return _CONTENT_MODES.get(act, {}).get(content)


def from_gold_label(label: str, mode: str | None = None) -> tuple[str, str | None]:
    """A gold label of PLOVER 0.5–0.7 (DEMAND, DISAPPROVE, FIGHT, …) as a current type and mode."""
    label = label.strip().upper()
    if label in _GOLD_LABELS:
        new, new_mode = _GOLD_LABELS[label]
        return new, new_mode or (mode or None)
    return label, mode or None


# ---------------------------------------------------------------------------------------------
# Trigger lexicons


@dataclass(frozen=True)
class Condition:
    """One requirement of a trigger row, checked by the stage against the trigger's arguments.

    kind: theme|subj (class of the theme's or subject's head), prep (a preposition on the
    trigger), light (the support verb of a nominal trigger), with (a dependent's lemma or
    class), comp (a clausal complement), notheme (no object), joint (COOPERATE when several
    countries act together).
    """

    kind: str
    values: frozenset[str] = frozenset()
    negated: bool = False


@dataclass(frozen=True)
class Trigger:
    """One row of events_triggers.tsv: `lemma` (plus `extra` dependents) → type, mode, contexts."""

    lemma: str
    extra: tuple[str, ...]  # lemmas that must be dependents: "feu" in "ouvrir le feu"
    reflexive: bool  # "se rendre": needs a reflexive pronoun
    pos: str  # V|N|A
    type: str | None  # None: the row blocks the trigger ("commit a crime")
    mode: str | None
    contexts: tuple[str, ...]
    conditions: tuple[Condition, ...]


_ARTICLES = frozenset({"le", "la", "les", "l'", "l’", "un", "une", "des", "de", "d'", "d’", "du",
                       "the", "a", "an", "to"})
_REFLEXIVE = frozenset({"se", "s'", "s’"})


def _conditions(cell: str) -> tuple[Condition, ...]:
    out = []
    for raw in cell.split(";") if cell and cell != "-" else ():
        raw = raw.strip()
        negated = raw.startswith("!")
        raw = raw.lstrip("!")
        kind, _, values = raw.partition("=")
        out.append(Condition(kind, frozenset(v for v in values.split("|") if v), negated))
    return tuple(out)


def _cell(row: tuple[str, ...], i: int) -> str:
    return row[i] if len(row) > i else ""


@cache
def triggers(lang: str) -> dict[tuple[str, str], tuple[Trigger, ...]]:
    """Trigger rows by (head lemma, pos), in file order: the first row whose conditions hold wins."""
    out: dict[tuple[str, str], list[Trigger]] = {}
    for row in lexicons.table(lang, "events_triggers"):
        words = row[0].lower().replace("’", "'").split()
        if words and words[0].startswith("s'") and len(words[0]) > 2:  # "s'engager"
            words = ["se", words[0][2:]] + words[1:]
        reflexive = bool(words) and words[0] in _REFLEXIVE
        # "prise d'otage": elided articles and prepositions are not dependents to look for.
        words = [w.split("'", 1)[1] if w[:2] in ("d'", "l'") and len(w) > 2 else w
                 for w in words if w not in _REFLEXIVE]
        if not words:
            continue
        head, extra = words[0], tuple(w for w in words[1:] if w not in _ARTICLES)
        type_ = _cell(row, 2)
        trig = Trigger(
            lemma=head, extra=extra, reflexive=reflexive, pos=_cell(row, 1) or "V",
            type=None if type_ in ("", "-") else type_, mode=None if _cell(row, 3) in ("", "-") else _cell(row, 3),
            contexts=tuple(c for c in _cell(row, 4).split("|") if c and c != "-"),
            conditions=_conditions(_cell(row, 5)),
        )
        out.setdefault((head, trig.pos), []).append(trig)
    return {k: tuple(v) for k, v in out.items()}


@cache
def word_classes(lang: str) -> dict[str, frozenset[str]]:
    """Noun classes (force, aid, weapon, captive, …) by lemma, from events_classes.tsv."""
    out: dict[str, set[str]] = {}
    for row in lexicons.table(lang, "events_classes"):
        if len(row) >= 2:
            out.setdefault(row[0].lower(), set()).update(c for c in row[1].split("|") if c)
    return {k: frozenset(v) for k, v in out.items()}


def classes_of(lang: str, lemma: str) -> frozenset[str]:
    return word_classes(lang).get(lemma.lower(), frozenset())


@cache
def mode_words(lang: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """Words that give the mode of an event type ("drone" → ASSAULT/drone), from events_modes.tsv."""
    out: dict[str, list[tuple[str, str]]] = {}
    for row in lexicons.table(lang, "events_modes"):
        if len(row) >= 3:
            out.setdefault(row[0].lower(), []).append((row[1], row[2]))
    return {k: tuple(v) for k, v in out.items()}


@cache
def context_words(lang: str) -> dict[str, str]:
    """Words that add a PLOVER context ("nucléaire" → cbrn), from events_contexts.tsv."""
    return {row[0].lower(): row[1] for row in lexicons.table(lang, "events_contexts") if len(row) >= 2}


@cache
def preposition_roles(lang: str) -> dict[str, str]:
    """Preposition → argument role (dest, loc, source, target, partner, agent, time, purpose, of)."""
    return {row[0].lower(): row[1] for row in lexicons.table(lang, "events_prepositions") if len(row) >= 2}


@cache
def function_words(lang: str, role: str) -> frozenset[str]:
    """Grammatical words with a role in the argument rules (negation, possible, future, relative,
    purpose, complement, joint), from events_function_words.tsv."""
    return frozenset(row[0].lower() for row in lexicons.table(lang, "events_function_words")
                     if len(row) >= 2 and row[1] == role)


@cache
def word_set(lang: str, name: str) -> frozenset[str]:
    """A one-word-a-line lexicon (events_light_verbs, events_plan_cues, …) as a set of lemmas."""
    return frozenset(w.lower() for w in lexicons.lines(lang, name))

"""The bounded second pass over document stories (link/revisit.py): a story that swallowed two
happenings sharing their context (two DUI arrests of players of one team, a year apart) is split
once the reports are in; a story of one happening stays whole."""

from __future__ import annotations

from sitrep.link import Linker, MemoryIndex
from sitrep.link.facts import DOCUMENT_TYPE, Facts
from sitrep.link.revisit import revisit

THRESHOLD, WINDOW = 0.0, 60

# Context keys as report_facts folds them: persons "p:", organisations "o:", places "g:", years "y:".
TEAM = ("o:san diego chargers", "o:dui", "o:nfl", "g:san diego")
JACKSON = ("p:vincent jackson", "y:2008", "o:california highway patrol", "p:norv turner", "g:mission valley",
           "p:jackson's attorney", "o:pittsburgh steelers")
WILLIAMS = ("p:jamal williams", "y:2009", "o:san diego police", "p:aj smith", "g:pacific beach",
            "p:williams's agent", "o:denver broncos")


def report(doc: str, lead: tuple[str, ...], extra: tuple[str, ...] = ()) -> Facts:
    context = lead + extra + TEAM  # the team and the charge come second in each report
    return Facts(document=doc, event="document", type=DOCUMENT_TYPE, context=context)


def link(facts: list[Facts]) -> tuple[list[int], MemoryIndex]:
    index = MemoryIndex()
    linker = Linker(index, threshold=THRESHOLD, window_days=WINDOW)
    return [linker.link_document([f])[0].story for f in facts], index


def test_a_story_holding_two_happenings_is_split() -> None:
    facts = [report(f"j{i}", JACKSON) for i in range(4)] + [report(f"w{i}", WILLIAMS) for i in range(4)]
    _, index = link(facts)
    # As when the first Williams report met a young Jackson story: one story holds both.
    out = revisit(facts, [1] * 8, THRESHOLD, WINDOW, index.rarity(()))
    assert len(set(out[:4])) == 1 and len(set(out[4:])) == 1 and out[0] != out[4]


def test_one_happening_stays_whole_and_few_strays_are_not_split_off() -> None:
    facts = [report(f"j{i}", JACKSON, (f"p:witness {i}",)) for i in range(5)]
    facts += [report("w0", WILLIAMS)]
    _, index = link(facts)
    out = revisit(facts, [1] * 6, THRESHOLD, WINDOW, index.rarity(()))
    assert len(set(out[:5])) == 1 and out[0] == 1


def test_short_inputs_are_returned_as_they_are() -> None:
    assert revisit([], [], THRESHOLD, WINDOW) == []
    assert revisit([report("j0", JACKSON)], [7], THRESHOLD, WINDOW) == [7]

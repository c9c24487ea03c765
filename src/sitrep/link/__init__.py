"""Stories: events of many documents, in any language, linked to the happenings they report.

As documents are stored, each of their events joins the most compatible story or starts a new
one (linker.py); candidates come from blocking keys (keys.py) and are scored by compatibility
(score.py) against a bounded summary of each story (summary.py). Facts (facts.py) are the
resolved, language-independent attributes of one event. A story's view (views.py) lists its
reports and, per attribute, each value with its sources, the independent sources
(independence.py) and the contradictions. storage.py keeps all of it in the store; cli.py adds
`sitrep stories` and `sitrep story`.

Once a batch is linked, the stories it touched are revisited (revisit.py, through
storage.py): a story holding two happenings is split and misplaced events move, within bounds.
Linking never deletes or rewrites a report: an event only changes story, and a story emptied by
the pass keeps its id, leading to the story that took its reports.
"""

from .facts import Facts, document_facts, event_facts
from .independence import independent_groups, signature
from .linker import Link, Linker, MemoryIndex
from .score import THRESHOLD, compatibility
from .summary import StorySummary
from .views import DocumentInfo, Member, story_view

__all__ = [
    "Facts", "document_facts", "event_facts", "Link", "Linker", "MemoryIndex", "StorySummary",
    "compatibility", "THRESHOLD", "story_view", "DocumentInfo", "Member", "independent_groups", "signature",
]

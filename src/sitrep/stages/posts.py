"""Stage `posts`: social-media posts embedded in an article, split out of the body.

Embeds reach us as the text their HTML leaves behind. The forms recognised are regular:
- X/Twitter: "text pic.twitter.com/… — Name (@handle) Month D, YYYY", the byline on the same line
  or the next one, the link often glued to the last word ("developmenthttps://t.co/…");
- Bluesky: the same byline with a domain handle ("@name.bsky.social") and "at H:MM AM";
- Instagram: "A post shared by Name (@handle)" / "Une publication partagée par Name (@handle)";
- Facebook: "Posted by Name on Weekday, Month D, YYYY";
- Telegram: a line that ends with a t.me/<channel>/<id> link.
The post's text and byline segments become `embedded_post` segments in the post's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..dates import find_dates
from ..models import Document, EmbeddedPost, Segment, Span
from ..pipeline import DocumentStage, register_stage
from ..settings import Settings
from .segment import detect_language

__all__ = ["PostsStage", "find_posts"]

_DASH = r"(?:—|–|-|&mdash;)"
_BYLINE = re.compile(
    rf"{_DASH}\s*(?P<author>[^\n()—–]{{1,80}}?)\s*\(@(?P<handle>[\w.\-]{{1,64}})\)\s*"
    r"(?P<date>[A-Za-zéû.]+\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Za-zéû.]+\s+\d{4})"
    r"(?:\s+(?:at|à)\s+\d{1,2}[:h]\d{2}(?:\s*[AP]M)?)?\s*$",
)
_LINK = re.compile(r"(?:https?://t\.co/\w+|pic\.(?:twitter|x)\.com/\w+|https?://\S+)")
_INSTAGRAM = re.compile(
    r"^(?:A post shared by|Une publication partagée par)\s+(?P<author>.+?)\s*\(@(?P<handle>[\w.]+)\)\s*$", re.I
)
_FACEBOOK = re.compile(r"^(?:Posted by|Publiée? par)\s+(?P<author>.+?)\s+(?:on|le)\s+(?P<date>.+?)\s*$", re.I)
_TELEGRAM = re.compile(r"https?://t\.me/(?P<handle>\w+)/\d+\s*$")
_INSTAGRAM_NOISE = re.compile(r"^(View this post on Instagram|Voir cette publication sur Instagram)$", re.I)


def _post_text(text: str, start: int, end: int) -> tuple[str, Span, str | None]:
    """The post's own words between start and end, without its links; and its first link."""
    chunk = text[start:end]
    links = list(_LINK.finditer(chunk))
    url = links[0].group().rstrip(".,;") if links else None
    cut = links[0].start() if links else len(chunk)
    words_end = start + cut
    while words_end > start and text[words_end - 1].isspace():
        words_end -= 1
    while start < words_end and text[start].isspace():
        start += 1
    return text[start:words_end], (start, words_end), url


def _date(text: str) -> str | None:
    found = next(find_dates(text), None)
    return found[0].isoformat() if found else None


def find_posts(doc: Document) -> list[EmbeddedPost]:
    text = doc.text
    lines = [seg.span for seg in doc.segments]
    posts: list[EmbeddedPost] = []
    for i, (ls, le) in enumerate(lines):
        line = text[ls:le]
        post = None
        m = _BYLINE.search(line)
        if m:
            if m.start() > 0 and line[:m.start()].strip():
                body = (ls, ls + m.start())
            elif i > 0:
                body = lines[i - 1]
            else:
                continue
            words, words_span, url = _post_text(text, *body)
            handle = m.group("handle")
            post = EmbeddedPost(
                platform="bluesky" if "." in handle else "x", author=m.group("author").strip(),
                handle="@" + handle, published=_date(m.group("date")), url=url, text=words,
                language=detect_language(words), span=(body[0], le), text_span=words_span,
            )
        elif m := _INSTAGRAM.match(line):
            j = i - 1
            while j >= 0 and _INSTAGRAM_NOISE.match(text[lines[j][0]:lines[j][1]]):
                j -= 1
            start = lines[j][0] if j >= 0 else ls
            words, words_span, url = _post_text(text, start, lines[j][1]) if j >= 0 else ("", (ls, ls), None)
            post = EmbeddedPost(
                platform="instagram", author=m.group("author"), handle="@" + m.group("handle"),
                published=None, url=url, text=words, language=detect_language(words) if words else None,
                span=(start, le), text_span=words_span,
            )
        elif (m := _FACEBOOK.match(line)) and _date(m.group("date")) and i > 0:
            words, words_span, url = _post_text(text, *lines[i - 1])
            post = EmbeddedPost(
                platform="facebook", author=m.group("author"), handle=None, published=_date(m.group("date")),
                url=url, text=words, language=detect_language(words), span=(lines[i - 1][0], le),
                text_span=words_span,
            )
        elif m := _TELEGRAM.search(line):
            words, words_span, _ = _post_text(text, ls, ls + m.start())
            post = EmbeddedPost(
                platform="telegram", author=None, handle="@" + m.group("handle"), published=None,
                url=m.group().strip(), text=words, language=detect_language(words),
                span=(ls, le), text_span=words_span,
            )
        if post is not None and not any(p.span[0] <= post.span[0] < p.span[1] for p in posts):
            posts.append(post)
    return posts


def _mark(segments: Sequence[Segment], posts: Sequence[EmbeddedPost], supported: frozenset[str]) -> tuple[Segment, ...]:
    out = []
    for seg in segments:
        post = next((p for p in posts if p.span[0] <= seg.span[0] and seg.span[1] <= p.span[1]), None)
        if post is not None:
            lang = post.language or seg.language
            seg = replace(seg, kind="embedded_post", language=lang, supported=lang in supported)
        out.append(seg)
    return tuple(out)


class PostsStage(DocumentStage):
    name = "posts"
    requires = ("segments",)
    assigns = ("embedded_posts",)

    def __init__(self, settings: Settings) -> None:
        self.supported = settings.language_set()

    def annotate(self, doc: Document) -> Document:
        posts = find_posts(doc)
        return replace(doc, embedded_posts=tuple(posts), segments=_mark(doc.segments, posts, self.supported))


register_stage("posts")(PostsStage)

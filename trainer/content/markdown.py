"""Lesson Markdown: split into translation units, render with CommonMark, sanitise.

A lesson is translated block by block (paragraph, list, heading, table...), so each block is rendered on its
own. Heading anchors come from the English heading, so links like ``lesson#anchor`` survive translation.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

# html=False: raw HTML in content is shown as text, never interpreted.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "img", "blockquote", "code", "pre",
    "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Block:
    text: str  # the Markdown source of the block, as translators see it
    anchor: str | None = None  # for headings


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def split_blocks(source: str) -> list[Block]:
    lines = source.splitlines()
    blocks: list[Block] = []
    seen: dict[str, int] = {}
    tokens = _md.parse(source)
    for index, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        start, end = token.map
        text = "\n".join(lines[start:end]).strip()
        if not text:
            continue
        anchor = None
        if token.type == "heading_open":
            base = slug(tokens[index + 1].content)
            seen[base] = seen.get(base, 0) + 1
            anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
        blocks.append(Block(text=text, anchor=anchor))
    return blocks


def render(text: str, media_url: Callable[[str], str] | None = None, anchor: str | None = None) -> str:
    """Markdown to safe HTML: no script, no event handlers, no ``javascript:`` URLs, no inline styles."""

    def attribute(tag: str, name: str, value: str) -> str | None:
        if tag == "img" and name == "src":
            if value.startswith("media/") and media_url is not None and ".." not in value:
                return media_url(value.removeprefix("media/"))
            return None if not value.startswith(("http://", "https://")) else value
        return value

    html = nh3.clean(_md.render(text), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     attribute_filter=attribute, link_rel="noopener noreferrer")
    if anchor:
        html = re.sub(r"^<(h[2-6])>", rf'<\1 id="{anchor}">', html, count=1)
    return html

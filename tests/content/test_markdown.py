"""Lesson Markdown: CommonMark rendering, sanitising, translation units and stable anchors."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from trainer.content.markdown import render, split_blocks


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    '<div style="background:url(x)">x</div>',
    "<iframe src='https://evil.example'></iframe>",
])
def test_dangerous_markup_never_survives(source):
    elements = Elements()
    elements.feed(render(source))
    for tag, attrs in elements.found:
        assert tag not in ("script", "iframe", "style", "object")
        for name, value in attrs:
            assert not name.startswith("on") and name != "style"
            assert not (value or "").strip().lower().startswith("javascript:")


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def test_raw_html_is_shown_as_text():
    assert render("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"


def test_commonmark_features_survive():
    html = render("**strong** *em* `code`\n\n1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[UNODC](https://www.unodc.org)")
    for tag in ("<strong>strong</strong>", "<em>em</em>", "<code>code</code>", "<ol>", "<table>",
                'href="https://www.unodc.org"', 'rel="noopener noreferrer"'):
        assert tag in html


def test_images_point_at_the_media_route_only():
    assert 'src="/m/x.png"' in render("![a](media/x.png)", media_url=lambda p: f"/m/{p}")
    assert "src" not in render("![a](media/../../secret.png)", media_url=lambda p: f"/m/{p}")
    assert "src" not in render("![a](file:///etc/passwd)", media_url=lambda p: f"/m/{p}")


def test_blocks_are_translation_units_with_stable_anchors():
    source = "Intro paragraph.\n\n## Why it matters\n\n- a\n- b\n\n## Why it matters\n\nText."
    blocks = split_blocks(source)
    assert [b.text for b in blocks] == ["Intro paragraph.", "## Why it matters", "- a\n- b", "## Why it matters",
                                        "Text."]
    assert [b.anchor for b in blocks] == [None, "why-it-matters", None, "why-it-matters-2", None]
    # a translated heading keeps the English anchor
    assert render("## Почему это важно", anchor="why-it-matters") == '<h2 id="why-it-matters">Почему это важно</h2>\n'

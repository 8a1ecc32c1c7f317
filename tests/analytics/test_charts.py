from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from trainer.analytics.charts import ELLIPSIS, MAX_LABEL, bar_chart, line_chart, truncate

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04"]
STATIONS = ["Паланка", "Бориспіль", "Lviv", "Chernivtsi"]


def parse(svg: bytes) -> ElementTree.Element:
    assert svg.startswith(b"<?xml")
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{{{SVG}}}svg"
    return root


def texts(root: ElementTree.Element) -> list[str]:
    return [el.text for el in root.iter(f"{{{SVG}}}text") if el.text]


def local(el: ElementTree.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def assert_safe_standalone(svg: bytes) -> ElementTree.Element:
    """Valid SVG, no script, no event handler, no external resource, no inline style attribute, no comment."""
    root = parse(svg)
    for el in root.iter():
        assert local(el) not in {"script", "foreignObject", "image", "a", "iframe"}
        assert not any(name.lower().startswith("on") for name in el.attrib), el.attrib
        assert "style" not in el.attrib  # CSP style-src-attr; presentation attributes are fine
    assert set(re.findall(rb"https?://[^\s\"'<>)]*", svg)) <= {SVG.encode(), XLINK.encode()}
    assert b"javascript:" not in svg.lower() and b"@import" not in svg and b"url(" not in svg
    assert b"<!--" not in svg and b"<?xml-stylesheet" not in svg
    return root


RENDERERS = {
    "bar": lambda: bar_chart("Завершение по пунктам", STATIONS, [0.82, 0.5, 0.0, 0.335], percent=True),
    "line": lambda: line_chart(
        "Completion by month", MONTHS, {"Border guards": [0.1, 0.2, None, 0.4], "Police": [0.3] * 4}
    ),
}


@pytest.fixture(params=sorted(RENDERERS))
def chart(request) -> bytes:
    return RENDERERS[request.param]()


def test_charts_are_safe_standalone_svg(chart):
    assert_safe_standalone(chart)


def test_charts_have_a_title_element_and_a_size(chart):
    root = parse(chart)
    title = root.find(f"{{{SVG}}}title")
    assert title is not None and title.text in {"Завершение по пунктам", "Completion by month"}
    assert root.get("width") == "720" and root.get("height") == "360" and root.get("viewBox") == "0 0 720 360"


def test_bar_chart_shows_labels_and_values():
    root = parse(bar_chart("Завершение по пунктам", STATIONS, [0.82, 0.5, 0.0, 0.335], percent=True))
    shown = texts(root)
    assert {"82 %", "50 %", "0 %", "34 %"} <= set(shown)
    assert set(STATIONS) <= set(shown)  # Cyrillic survives as text
    assert "Завершение по пунктам" in shown


def test_bar_chart_lists_the_first_label_at_the_top():
    root = parse(bar_chart("Stations", STATIONS, [1, 2, 3, 4]))
    y = {el.text: float(el.get("y")) for el in root.iter(f"{{{SVG}}}text") if el.text in STATIONS}
    assert y["Паланка"] < y["Бориспіль"] < y["Lviv"] < y["Chernivtsi"]


def test_bar_chart_counts_are_whole_numbers_and_other_values_two_decimals():
    shown = texts(parse(bar_chart("Trainees", ["a", "b", "c"], [1200, 37, 2.5])))
    assert {"1200", "37", "2.50"} <= set(shown)


def test_line_chart_names_series_in_legend_and_at_line_ends():
    svg = line_chart("Completion", MONTHS, {"Пограничники": [0.1, 0.2, None, 0.4], "Police": [0.3] * 4},
                     percent=True)
    root = assert_safe_standalone(svg)
    shown = texts(root)
    assert shown.count("Пограничники") == 2 and shown.count("Police") == 2  # legend and end label
    assert set(MONTHS) <= set(shown)
    assert "40 %" in svg.decode() and "100 %" in shown


def test_line_chart_legend_keys_carry_the_dash_pattern():
    root = parse(line_chart("Completion", MONTHS, {"A": [1, 2, 3, 4], "B": [2, 3, 4, 5]}))
    keys = [el for el in root.iter(f"{{{SVG}}}path") if el.get("class", "").startswith("color-")]
    assert len(keys) == 2
    assert keys[0].get("stroke-dasharray") is None and keys[1].get("stroke-dasharray")


@pytest.mark.parametrize(
    "render",
    [
        lambda: bar_chart("Пусто", [], []),
        lambda: bar_chart("Пусто", ["a", "b"], [None, None]),
        lambda: line_chart("Пусто", [], {}),
        lambda: line_chart("Пусто", MONTHS, {"A": [None] * 4}),
    ],
)
def test_empty_data_says_no_data(render):
    root = assert_safe_standalone(render())
    assert "No data" in texts(root)


def test_the_no_data_text_can_be_translated():
    assert "Нет данных" in texts(parse(bar_chart("Пусто", [], [], no_data_text="Нет данных")))


def test_long_labels_are_cut_with_an_ellipsis():
    long = "Пункт пропуска через государственную границу «Паланка — Маяки — Удобное» (автомобильный)"
    svg = bar_chart("Stations", [long], [3])
    shown = texts(parse(svg))
    cut = [t for t in shown if t.endswith(ELLIPSIS)]
    assert len(cut) == 1 and len(cut[0]) == MAX_LABEL and long.startswith(cut[0][:-1])
    assert long not in svg.decode()


@pytest.mark.parametrize("kind", sorted(RENDERERS))
def test_output_is_deterministic(kind):
    assert RENDERERS[kind]() == RENDERERS[kind]()


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        bar_chart("T", ["a", "b"], [1])
    with pytest.raises(ValueError):
        line_chart("T", MONTHS, {"A": [1, 2]})


def test_size_can_be_chosen():
    root = parse(bar_chart("T", ["a"], [1], width=400, height=200))
    assert (root.get("width"), root.get("height")) == ("400", "200")


@pytest.mark.parametrize(
    ("label", "limit", "expected"),
    [
        ("Lviv", MAX_LABEL, "Lviv"),
        ("x" * MAX_LABEL, MAX_LABEL, "x" * MAX_LABEL),
        ("x" * (MAX_LABEL + 1), MAX_LABEL, "x" * (MAX_LABEL - 1) + ELLIPSIS),
        ("  a \n b  ", MAX_LABEL, "a b"),
        ("abc def", 5, "abc" + ELLIPSIS),  # no space left dangling before the ellipsis
    ],
)
def test_truncate(label, limit, expected):
    assert truncate(label, limit) == expected

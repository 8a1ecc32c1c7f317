"""Server-side SVG charts (pygal) that a page shows with ``<img src=...>``.

What the output is, and why:

* Standalone SVG bytes with an XML declaration, a ``<title>`` (the chart title) and explicit width and height.
* No script. pygal adds a ``<script>`` with its config to every chart and, by default, links its tooltip script
  from a CDN; ``js=[]`` drops the link and ``_clean`` below drops the inline one, together with the tooltip
  layer that only that script used (the one element with a ``style`` attribute). Browsers run no script in an
  SVG loaded as an image anyway, but the file is also reachable at its own URL.
* No external resource: the CSS is inlined in one ``<style>`` element, fonts are system fonts that cover
  Cyrillic (no web fonts), and pygal's comments with its home page and the render date are dropped. The only
  "http" left is the SVG namespace. Served at its own URL, the response should carry a CSP such as
  ``default-src 'none'; style-src 'unsafe-inline'`` so the inline ``<style>`` applies when opened directly.
* Deterministic: the same input gives the same bytes (no random chart id, no date), so tests and caches can
  compare outputs.
* Not by colour alone: bars carry their value as text; each line has its own dash pattern and is labelled with
  its name at its last point, besides the legend. The page should also show the numbers in a table.
* Empty data gives a chart that says ``no_data_text`` ("No data", or the caller's translation); long labels are
  cut to ``MAX_LABEL`` characters with an ellipsis. Labels arrive translated; nothing here calls gettext.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from xml.etree import ElementTree

import pygal
from pygal.style import Style

MAX_LABEL = 32
END_LABEL = 20  # series names printed at the end of their line
_CHART_ID = "analytics"  # fixed, so the same input renders the same bytes
ELLIPSIS = "…"
# Okabe & Ito's palette (Color Universal Design, 2008): distinguishable with the common colour-vision
# deficiencies; yellow is left out because it is too light on white.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")
# One dash pattern per series, so lines differ in print and for readers who cannot tell the colours apart.
DASHES = ("", "8,4", "2,3", "10,3,2,3", "4,4", "12,6", "1,6")
FONTS = '"DejaVu Sans", "Noto Sans", "Liberation Sans", Arial, Helvetica, sans-serif'
NO_DATA = "No data"

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#000000",
    foreground_subtle="#595959",
    opacity=".85",
    opacity_hover=".95",
    colors=COLOURS,
    font_family=FONTS,
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    value_font_size=12,
    value_label_font_size=12,
    no_data_font_size=28,
    # solid, light guides, so they are not mistaken for the dashed series lines
    guide_stroke_dasharray="none",
    major_guide_stroke_dasharray="none",
    guide_stroke_color="#d9d9d9",
    major_guide_stroke_color="#bfbfbf",
)


def truncate(label: str, limit: int = MAX_LABEL) -> str:
    """``label`` cut to ``limit`` characters, the last being an ellipsis when anything was cut."""
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + ELLIPSIS


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    percent: bool = False,
    width: int = 720,
    height: int = 360,
    no_data_text: str = NO_DATA,
) -> bytes:
    """Horizontal bars, one per label, each with its value printed beside it.

    With ``percent`` the values are fractions 0..1, shown as whole percentages on a 0-100 % axis."""
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} values")
    chart = pygal.HorizontalBar(
        _config(title, percent, width, height, no_data_text),
        show_legend=False,
        print_values=True,
        print_values_position="top",
        margin_right=64,  # room for the value printed past the longest bar
    )
    # pygal stacks horizontal bars from the bottom up; reversed, the first label reads first, at the top.
    chart.x_labels = [truncate(label) for label in reversed(labels)]
    chart.add(truncate(title), list(reversed(values)))
    return _render(chart, title, _values_after_bars)


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    percent: bool = False,
    width: int = 720,
    height: int = 360,
    no_data_text: str = NO_DATA,
) -> bytes:
    """One line per series over ``x_labels`` (e.g. months); None leaves a gap.

    Series are drawn in the mapping's order, each with its own colour and dash pattern and its name at its last
    point. With ``percent`` the values are fractions 0..1 on a 0-100 % axis."""
    for name, values in series.items():
        if len(values) != len(x_labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(x_labels)} x labels")
    end_labels = [truncate(name, END_LABEL) for name in series]
    chart = pygal.Line(
        _config(title, percent, width, height, no_data_text),
        legend_at_bottom=True,
        legend_box_size=18,
        print_labels=True,
        allow_interruptions=True,
        x_label_rotation=30 if len(x_labels) > 8 else 0,
        # room for the series names printed at the lines' ends (about 7 px a character at 12 px)
        margin_right=16 + 7 * max((len(label) for label in end_labels), default=0),
        css=[*pygal.Config().css, f"inline:#chart-{_CHART_ID} .series .line{{stroke-width:2.5}}"],
    )
    chart.x_labels = [truncate(label) for label in x_labels]
    for index, ((name, values), end_label) in enumerate(zip(series.items(), end_labels, strict=True)):
        chart.add(truncate(name), _label_last(values, end_label), stroke_style={"dasharray": _dashes(index)})
    return _render(chart, title, _dashed_legend)


def _config(title: str, percent: bool, width: int, height: int, no_data_text: str) -> pygal.Config:
    config = pygal.Config(
        title=truncate(title, 80),
        width=width,
        height=height,
        explicit_size=True,
        style=_STYLE,
        js=[],
        truncate_label=-1,  # we truncate, so that the limit does not depend on pygal's width estimate
        truncate_legend=-1,
        no_data_text=no_data_text,
        value_formatter=_percent if percent else _number,
        show_y_guides=True,
        show_x_guides=False,
        margin=12,
    )
    if percent:
        config.range = (0, 1)
        config.y_labels = [0, 0.2, 0.4, 0.6, 0.8, 1]  # every 20 %: "90 %100 %" would run together
    return config


def _label_last(values: Sequence[float | None], label: str) -> list[float | None | dict[str, object]]:
    """The values, the last present one carrying ``label`` so pygal prints the series name beside it."""
    out: list[float | None | dict[str, object]] = list(values)
    for i in range(len(out) - 1, -1, -1):
        if out[i] is not None:
            out[i] = {"value": out[i], "label": label}
            break
    return out


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f} %"


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _dashes(index: int) -> str:
    return DASHES[index % len(DASHES)]


def _render(chart: pygal.graph.graph.Graph, title: str, touch_up: Callable[[ElementTree.Element], None]) -> bytes:
    chart.uuid = _CHART_ID  # pygal draws a random one per chart; the CSS is scoped to it

    def xml_filter(root: ElementTree.Element) -> ElementTree.Element:
        _clean(root)
        touch_up(root)
        for el in root:
            if isinstance(el.tag, str) and _local(el.tag) == "title":
                # The accessible name: the whole title (pygal shows a cut one, or "Pygal" for none).
                el.text = " ".join(title.split())
        return root

    chart.add_xml_filter(xml_filter)
    return chart.render()


def _clean(root: ElementTree.Element) -> None:
    """Drop script, comments (one dates the file) and the tooltip layer, which only pygal's script used."""
    _prune(root, lambda el: not isinstance(el.tag, str) or _local(el.tag) == "script" or _is_tooltip_layer(el))


def _values_after_bars(root: ElementTree.Element) -> None:
    """Start each printed value just past its bar's end instead of centring it on the end."""
    for el in root.iter():
        if isinstance(el.tag, str) and _local(el.tag) == "text" and "value" in (el.get("class") or "").split():
            el.set("text-anchor", "start")


def _dashed_legend(root: ElementTree.Element) -> None:
    """Draw each legend key as a short stroke in its series' dash pattern, not a colour square."""
    for el in root.iter():
        if not (isinstance(el.tag, str) and el.get("id", "").startswith("activate-serie-")):
            continue
        index = int(el.get("id", "").rsplit("-", 1)[1])
        for key in list(el):
            if _local(key.tag) == "rect":
                x, y = float(key.get("x", 0)), float(key.get("y", 0))
                size = float(key.get("width", 0))
                key.tag = key.tag[: -len("rect")] + "path"
                key.attrib.clear()
                key.set("d", f"M{x:.1f} {y + size / 2:.1f} h{size:.1f}")
                key.set("class", f"color-{index}")
                key.set("stroke-width", "3")
                key.set("fill", "none")
                if _dashes(index):
                    key.set("stroke-dasharray", _dashes(index))


def _prune(parent: ElementTree.Element, drop: Callable[[ElementTree.Element], bool]) -> None:
    for child in list(parent):
        if drop(child):
            parent.remove(child)
        else:
            _prune(child, drop)


def _is_tooltip_layer(el: ElementTree.Element) -> bool:
    return "tooltip-overlay" in (el.get("class") or "").split()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]

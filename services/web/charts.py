"""Charts drawn on the server as accessible SVG, through leather (a kept charting library).

Why leather: pure Python with no dependency, it draws with presentation attributes (`fill`,
`stroke`, `font-size`) only — no `<style>` element, no `style` attribute, no script — so its
SVG passes the pages' CSP (`style-src 'self'`, `script-src 'self'`) inline, and it returns
its drawing as an ElementTree group we can frame. pygal writes an inline `<style>` element
and loads a script from a CDN; matplotlib's SVG carries a `<style>` element and weighs tens of
megabytes installed.

Around leather's drawing this module only frames it: a `viewBox` so that it scales to its
column (hub.css), `role="img"` named by its `<title>` and described by its `<desc>`. The
numbers are also in a table under each chart (stats.html)."""
import xml.etree.ElementTree as ET

import leather
from markupsafe import Markup

# Colours with at least 4.5:1 contrast on white for the text, and 3:1 for the bars (RGAA).
THEME = {"background_color": "#ffffff", "title_color": "#161616", "label_color": "#3a3a3a",
         "tick_color": "#dddddd", "zero_color": "#666666", "axis_title_color": "#3a3a3a",
         "title_font_family": "sans-serif", "tick_font_family": "sans-serif",
         "legend_font_family": "sans-serif", "axis_title_font_family": "sans-serif",
         "tick_font_size": 13, "default_series_colors": ["#000091", "#c9191e"]}
COLUMN = 56  # user units per column, so that their labels do not overlap
LABEL = 32  # characters of a bar's label in a chart at most (the table has them whole)
CHAR = 8  # user units per character of a label (leather's own estimate)


def _themed():
    for name, value in THEME.items():
        setattr(leather.theme, name, value)


def columns(chart_id, title, description, pairs):
    """Vertical bars: one per (label, number) of `pairs`, in their order (None: no pairs)."""
    if not pairs:
        return None
    _themed()
    chart = leather.Chart()
    chart.add_columns([(str(label), value or 0) for label, value in pairs])
    return _framed(chart, chart_id, title, description, max(480, COLUMN * len(pairs)), 300)


def bars(chart_id, title, description, pairs):
    """Horizontal bars: one per (label, number), the first on top (None: no pairs)."""
    if not pairs:
        return None
    _themed()
    chart = leather.Chart()
    labels = [_short(str(label)) for label, _ in pairs]
    chart.add_bars([(value or 0, label) for label, (_, value) in zip(labels, pairs)][::-1])
    # leather leaves a fixed margin left of the bars: room for the labels is added around it.
    room = CHAR * max(map(len, labels), default=0)
    return _framed(chart, chart_id, title, description, 640,
                   max(160, 34 * len(pairs) + 60), room)


def _short(label):
    return label if len(label) <= LABEL else label[:LABEL - 1] + "…"


def _framed(chart, chart_id, title, description, width, height, room=0):
    svg = ET.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {width + room} {height}",
        "role": "img", "aria-labelledby": f"{chart_id}-titre",
        "aria-describedby": f"{chart_id}-desc",
        "class": "chart", "id": chart_id, "focusable": "false"})
    ET.SubElement(svg, "title", {"id": f"{chart_id}-titre"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = description
    drawing = ET.SubElement(svg, "g", {"transform": f"translate({room} 0)"} if room else {})
    drawing.append(chart.to_svg_group(width, height))
    return Markup(ET.tostring(svg, encoding="unicode"))

"""Charts of a collaboration, drawn on the server as SVG images.

Pages embed them with <img>, so the SVG's own styles apply inside the image only; its
scripts would not run there, and the Content-Security-Policy allows none, so none are
written.
"""

from collections.abc import Sequence
from datetime import date
from xml.etree.ElementTree import Element

import pygal
from django.utils.formats import date_format
from pygal.style import Style

# The design system's primary blue and its orange, told apart by colour-blind readers too.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#71767a",
    colors=("#005ea2", "#c05600"),
    font_family="Source Sans Pro, Helvetica Neue, Helvetica, Roboto, Arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=16,
    title_font_size=18,
)


def _without_scripts(root: Element) -> Element:
    """Drop every <script>: pygal writes one for its tooltips even with no js files."""
    for parent in root.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def quality_trend(
    dates: Sequence[date],
    series: Sequence[tuple[str, Sequence[int | None]]],
    *,
    title: str | None = None,
) -> str:
    """A line chart of each side's quality rating (1 to 5) per check-in date, as SVG."""
    chart = pygal.Line(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        width=800,
        height=400,
        title=title,
        range=(1, 5),
        y_labels=[1, 2, 3, 4, 5],
        x_labels=[date_format(due, "j M Y") for due in dates],
        x_label_rotation=30 if len(dates) > 6 else 0,
        show_minor_x_labels=len(dates) <= 12,
        x_labels_major_every=max(1, len(dates) // 12),
        allow_interruptions=True,
        legend_at_bottom=True,
        dots_size=5,
        tooltip_border_radius=0,
        no_data_text="",
    )
    chart.add_xml_filter(_without_scripts)
    # Lines told apart by more than colour: the second side's is dashed with bigger dots,
    # which also shows it where both sides gave the same rating.
    looks: tuple[dict, ...] = (
        {},
        {"stroke_style": {"width": 3, "dasharray": "8, 5"}, "dots_size": 8},
    )
    for (label, values), look in zip(series, looks * len(series), strict=False):
        chart.add(label, list(values), **look)
    return chart.render(is_unicode=True)

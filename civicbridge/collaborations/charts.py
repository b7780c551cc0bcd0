"""Charts of a collaboration, drawn on the server as SVG images (see core.charts)."""

from collections.abc import Sequence
from datetime import date

import pygal

from civicbridge.core import formats
from civicbridge.core.charts import STYLE, without_scripts


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
        x_labels=[formats.day(due) for due in dates],
        x_label_rotation=30 if len(dates) > 6 else 0,
        show_minor_x_labels=len(dates) <= 12,
        x_labels_major_every=max(1, len(dates) // 12),
        allow_interruptions=True,
        legend_at_bottom=True,
        dots_size=5,
        tooltip_border_radius=0,
        no_data_text="",
    )
    chart.add_xml_filter(without_scripts)
    # Lines told apart by more than colour: the second side's is dashed with bigger dots,
    # which also shows it where both sides gave the same rating.
    looks: tuple[dict, ...] = (
        {},
        {"stroke_style": {"width": 3, "dasharray": "8, 5"}, "dots_size": 8},
    )
    for (label, values), look in zip(series, looks * len(series), strict=False):
        chart.add(label, list(values), **look)
    return chart.render(is_unicode=True)

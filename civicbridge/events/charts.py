"""The survival curve of events' projects, drawn on the server as an SVG image.

Drawn like the collaborations' charts: pages embed it with <img> beside a table of the
same numbers, and it carries no script.
"""

from collections.abc import Sequence

import pygal
from django.utils.translation import gettext as _

from civicbridge.core.charts import STYLE, without_scripts

from .survival import Step, curve_points


def survival_curve(series: Sequence[tuple[str, Sequence[Step]]], *, months: int = 12) -> str:
    """A step line per group: the estimated share of projects alive, month by month."""
    chart = pygal.XY(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        width=800,
        height=400,
        range=(0, 100),
        xrange=(0, months),
        y_labels=[0, 25, 50, 75, 100],
        x_labels=list(range(0, months + 1, 3)),
        x_title=_("Months after the event"),
        y_title=_("Projects still alive (%)"),
        legend_at_bottom=True,
        dots_size=4,
        tooltip_border_radius=0,
        no_data_text="",
    )
    chart.add_xml_filter(without_scripts)
    looks: tuple[dict, ...] = (
        {"stroke_style": {"width": 3}},
        {"stroke_style": {"width": 3, "dasharray": "8, 5"}},
    )
    for (label, steps), look in zip(series, looks * len(series), strict=False):
        chart.add(label, curve_points(steps), **look)
    return chart.render(is_unicode=True)

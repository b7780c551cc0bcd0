"""The days-to-pay chart of an institution, drawn on the server as an SVG image.

It looks like every chart (core.charts): the design system's blue, no
script, and a data table beside it on the page with the same numbers.
"""

from collections.abc import Sequence

import pygal
from pygal.style import Style

from civicbridge.core.charts import STYLE, without_scripts

from .money import PaymentTimes


def days_to_pay(quarters: Sequence[tuple[str, PaymentTimes]], *, title: str | None = None) -> str:
    """One box per quarter: the spread of days from invoice to payment, its middle half
    in the box, the median across it and the fastest and slowest at the whiskers."""
    # One colour for every box: each is a quarter, not a series to tell apart.
    style = Style(**{**STYLE.to_dict(), "colors": ("#005ea2",) * max(1, len(quarters))})
    chart = pygal.Box(
        style=style,
        js=[],
        disable_xml_declaration=True,
        width=800,
        height=400,
        title=title,
        box_mode="extremes",
        # Room above the slowest payment, so its whisker is not cut by the frame.
        range=(0, max((times.longest for _name, times in quarters), default=30) * 1.1 + 5),
        show_legend=False,
        x_labels=[name for name, _times in quarters],
        x_label_rotation=30 if len(quarters) > 6 else 0,
        y_title="Days to pay",
        tooltip_border_radius=0,
        no_data_text="",
    )
    chart.add_xml_filter(without_scripts)
    for name, times in quarters:
        chart.add(name, list(times.days))
    return chart.render(is_unicode=True)

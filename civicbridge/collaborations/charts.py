"""Charts of a collaboration, drawn on the server as SVG images (see core.charts)."""

from collections.abc import Sequence
from datetime import date

import pygal
from pygal.style import Style

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


# One design-system colour per stage, each at least 3:1 against the white background; the
# legend and the table beside the chart name every stage, so no reader depends on hue.
STAGE_STYLE = Style(
    **{
        **STYLE.to_dict(),
        "colors": ("#71767a", "#8168b3", "#c05600", "#005ea2", "#008817", "#1b1b1b"),
    }
)


def whole_numbers(largest: int, ticks: int = 5) -> list[int]:
    """Axis labels for counts: whole numbers from 0 past `largest`, about `ticks` of them."""
    step = max(1, -(-largest // ticks))
    return list(range(0, largest + step + 1, step)) if largest else [0, 1]


def portfolio_stages(models: Sequence[str], stages: Sequence[tuple[str, Sequence[int]]]) -> str:
    """A horizontal stacked bar per model: how many collaborations are in each stage."""
    largest = max((sum(column) for column in zip(*(v for _l, v in stages), strict=True)), default=0)
    chart = pygal.HorizontalStackedBar(
        style=STAGE_STYLE,
        js=[],
        disable_xml_declaration=True,
        width=800,
        height=max(240, 60 * len(models) + 160),
        x_labels=list(models),
        y_labels=whole_numbers(largest),
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        truncate_legend=-1,
        truncate_label=-1,
        print_values=False,
        tooltip_border_radius=0,
        no_data_text="",
    )
    chart.add_xml_filter(without_scripts)
    for label, values in stages:
        chart.add(label, list(values))
    return chart.render(is_unicode=True)


def portfolio_risks(reasons: Sequence[tuple[str, int]]) -> str:
    """A horizontal bar per reason for being at risk: how many collaborations it touches."""
    chart = pygal.HorizontalBar(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        width=560,
        height=50 * len(reasons) + 100,
        show_legend=False,
        print_values=True,
        y_labels=whole_numbers(max((count for _label, count in reasons), default=0)),
        truncate_label=-1,
        tooltip_border_radius=0,
        no_data_text="",
    )
    chart.add_xml_filter(without_scripts)
    chart.x_labels = [label for label, _count in reasons]
    chart.add("", [count for _label, count in reasons])
    return chart.render(is_unicode=True)

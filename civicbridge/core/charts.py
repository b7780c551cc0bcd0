"""What every chart shares: drawn on the server as SVG with pygal, in the design system's
colours, without scripts, and served as an image whose only policy is its own styles.

Pages embed the charts with <img>, so the SVG's own styles apply inside the image only; its
scripts would not run there, and the Content-Security-Policy allows none, so none are
written. Each page shows a data table with the same numbers beside its chart.
"""

from xml.etree.ElementTree import Element

from django.http import HttpResponse
from django.utils.csp import CSP
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

# Opened on its own, the image applies its own inline styles, and nothing else.
CHART_POLICY = {"default-src": [CSP.NONE], "style-src": [CSP.UNSAFE_INLINE]}


def without_scripts(root: Element) -> Element:
    """Drop every <script>: pygal writes one for its tooltips even with no js files."""
    for parent in root.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def svg_response(svg: str, *, public: bool = False) -> HttpResponse:
    """The chart as an image; a public one may be cached for five minutes."""
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-cache"
    return response

"""House style: every chart titled, labelled with units, sourced, and readable without colour vision."""

import itertools

import numpy as np
import pandas as pd
import pytest

from innovation_course.content import charts, data

# Machado, Oliveira & Fernandes (2009) simulation matrices at full severity, applied to linear RGB.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "normal": np.eye(3).tolist(),
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
MAIN = ["CHN", "USA", "JPN", "EUU", "DEU", "KOR", "GBR"]  # the economies lessons show together


def lab(hex_colour: str, matrix) -> np.ndarray:
    srgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    xyz = SRGB_TO_XYZ @ np.clip(np.array(matrix) @ linear, 0, 1) / np.array([0.9505, 1.0, 1.089])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", sorted(CVD))
def test_china_stands_out_from_every_comparator_for_each_colour_vision(vision):
    china = lab(charts.ECONOMY_STYLE["CHN"]["color"], CVD[vision])
    for code in MAIN[1:]:
        distance = np.linalg.norm(china - lab(charts.ECONOMY_STYLE[code]["color"], CVD[vision]))
        assert distance > 15, f"{vision}: China and {code} differ by only ΔE {distance:.1f}"


def test_no_two_economies_shown_together_share_line_style_and_marker():
    looks = [(charts.ECONOMY_STYLE[c]["linestyle"], charts.ECONOMY_STYLE[c]["marker"]) for c in MAIN]
    assert len(set(looks)) == len(looks), "lines must differ in more than colour"
    colours = [charts.ECONOMY_STYLE[c]["color"] for c in MAIN]
    assert len(set(colours)) == len(colours)


def test_line_chart_has_title_labels_units_source_and_alt(monkeypatch):
    shown = []
    monkeypatch.setattr(charts, "display", lambda obj, **kw: shown.append((obj, kw)))
    wide = data.series("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS", iso3=["CHN", "USA"])
    fig = charts.line(wide, title="R&D intensity", ylabel="% of GDP", source="wdi_rd_expenditure_pct_gdp",
                      alt="China rises.", show=False)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "R&D intensity" and ax.get_ylabel() == "% of GDP" and ax.get_xlabel() == "Year"
    footer = [t.get_text() for t in fig.texts]
    assert footer == [data.citation("wdi_rd_expenditure_pct_gdp")]
    china = next(line for line in ax.get_lines() if line.get_label() == "China")
    assert china.get_color() == charts.ECONOMY_STYLE["CHN"]["color"]
    charts.display_figure(fig, "China rises.")
    bundle, _kwargs = shown[0]
    assert bundle["text/plain"] == "Chart: China rises." and charts.chart_image(bundle)[1] == "China rises."
    assert bundle["text/html"].startswith('<img class="ic-chart" src="data:image/png;base64,iVBOR')
    assert 'alt="China rises."' in bundle["text/html"] and "image/png" not in bundle  # JupyterLab shows its alt


def test_bar_chart_marks_highlights_with_a_pattern_not_only_colour():
    values = pd.Series({"CHN": 3.0, "USA": 2.0, "JPN": 1.0})
    fig = charts.bar(values, title="t", xlabel="x (units)", source="free text source", alt="a", highlight=["CHN"],
                     show=False)
    hatches = {p.get_hatch() for p in fig.axes[0].patches}
    assert hatches == {"//", None} and fig.texts[0].get_text() == "free text source"


def test_projector_sizes():
    charts.use_house_style()
    import matplotlib.pyplot as plt

    assert plt.rcParams["font.size"] >= 14 and plt.rcParams["axes.titlesize"] >= 16
    assert all(len(a) == len(set(a)) for a in itertools.chain([charts.OKABE_ITO.values()]))


def test_chinese_in_a_chart_uses_an_installed_cjk_font(recwarn):
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    charts.use_house_style()
    fonts = plt.rcParams["font.family"]
    installed = {f.name for f in font_manager.fontManager.ttflist}
    assert fonts[0] == "DejaVu Sans" and all(name in installed for name in fonts)
    assert [f for f in charts.CJK_FONTS if f in installed] == fonts[1:]
    if len(fonts) == 1:
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")
    fig, _ = charts.new_figure("创新驱动发展 innovation-driven development", "亿元")
    fig.canvas.draw()
    plt.close(fig)
    missing = [str(w.message) for w in recwarn if "missing from font" in str(w.message)]
    assert not missing, missing


def test_legend_and_source_line_are_projector_sized(monkeypatch):
    wide = data.series("wdi_rd_expenditure_pct_gdp", "GB.XPD.RSDV.GD.ZS", iso3=["CHN", "USA"])
    fig = charts.line(wide, title="R&D intensity", ylabel="% of GDP", source="wdi_rd_expenditure_pct_gdp",
                      alt="China rises.", show=False)
    legend = fig.axes[0].get_legend()
    assert min(t.get_fontsize() for t in legend.get_texts()) >= 12
    assert fig.texts[0].get_fontsize() >= 11  # the source line: 15 px at 100 dpi, shown at least that size


def test_a_chart_is_an_html_image_whose_alt_text_and_png_read_back():
    """JupyterLab 4.6 shows a PNG output without alt text: a chart is an HTML <img> carrying it (issue 18); slides
    and handouts read the PNG and the alt text back from it, quotes and ampersands included."""
    alt = 'China\'s "R&D" <share> rose'
    html_image = charts.image_html("iVBORw0KGgo=", alt)
    assert '"R&D"' not in html_image and "<share>" not in html_image  # escaped inside the attribute
    assert charts.chart_image({"text/html": html_image}) == ("iVBORw0KGgo=", alt)
    assert charts.chart_image({"text/html": "<p>a table</p>"}) is None and charts.chart_image({}) is None

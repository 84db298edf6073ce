"""The course's look in plain settings: the colour-blind-safe palette and matplotlib settings for a projector.

Kept apart from :mod:`innovation_course.charts` (which loads pandas and the data package) so that the
grader's report can share the look without that start-up cost.
"""

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "vermillion": "#D55E00",
    "blue": "#0072B2",
    "bluish green": "#009E73",
    "orange": "#E69F00",
    "reddish purple": "#CC79A7",
    "sky blue": "#56B4E9",
    "black": "#000000",
    "yellow": "#F0E442",
    "grey": "#777777",
}

#: Fonts with Simplified Chinese glyphs that learners' systems commonly have, tried in this order after the
#: Latin font: Noto/Source Han (Linux, Android; Debian fonts-noto-cjk), PingFang and Hiragino (macOS, iOS),
#: Microsoft YaHei and SimHei (Windows), WenQuanYi (older Linux).
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
             "SimHei", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
#: The CSS font-family list of slides and handouts: Latin fonts, then the CJK ones for the characters the
#: Latin fonts lack (tests check the style sheets use it).
CSS_FONT_STACK = ", ".join(['"Source Sans Pro"', '"Helvetica Neue"', "Arial", *(f'"{name}"' for name in CJK_FONTS),
                            "sans-serif"])

HOUSE_STYLE = {
    "figure.figsize": (10, 5.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 14,
    "axes.titlesize": 17,
    "axes.titleweight": "bold",
    "axes.titley": 1.0,  # titles sit on the axes (as placed automatically here), without a search at each draw
    "axes.labelsize": 14,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 12,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2.5,
    "lines.markersize": 6,
    "svg.hashsalt": "innovation-course",
}

#: Readers' names for the economy codes of the data files.
ECONOMY_NAMES = {
    "CHN": "China", "USA": "United States", "JPN": "Japan", "EUU": "European Union",
    "EU27_2020": "EU-27", "DEU": "Germany", "KOR": "Korea", "GBR": "United Kingdom",
    "IND": "India", "FRA": "France", "OECD": "OECD total", "WLD": "World", "W": "World",
}


def label_for(key: str) -> str:
    """A reader's name for an economy code (the code itself when unknown)."""
    return ECONOMY_NAMES.get(str(key), str(key))

"""The HTML frame shared by the feedback pages and the class report: one offline file, no scripts,
every piece of learner text escaped with :func:`html.escape` before it gets here."""

from __future__ import annotations

from html import escape

from ...content.style import OKABE_ITO

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #bbb; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.answer { white-space: pre-wrap; overflow-wrap: anywhere; }
.prompt { overflow-wrap: anywhere; } .prompt p { margin: 0 0 .4rem; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5rem 0; } img { max-width: 100%; height: auto; }
figcaption { font-size: 1.1rem; }
.chart table.bars th[scope=row] { width: 11rem; white-space: nowrap; font-weight: normal; }
.chart table.bars .row { display: flex; align-items: center; gap: .5rem; }  /* in the cell: it stays a cell */
.bar { display: inline-block; height: 1.1rem; border: 1px solid #444; box-sizing: border-box;
       print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.value { font-variant-numeric: tabular-nums; }
.chart .summary { margin: .25rem 0; } .chart .source { font-size: .9rem; color: #444; margin: 0; }
""" + (  # the report's bars in the course's palette (style.OKABE_ITO); the distribution's carry a pattern too
    f".bar.distribution {{ background: repeating-linear-gradient(45deg, {OKABE_ITO['blue']} 0 6px, "
    f"#3d95c6 6px 9px); }}\n"
    f".bar.difficulty {{ background: {OKABE_ITO['orange']}; }}\n")


def page(title: str, body: str) -> bytes:
    """A complete UTF-8 HTML document; ``title`` is escaped here, ``body`` must be escaped already."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n"
            f"</html>\n").encode()


def table(header: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset()) -> str:
    """An HTML table; every cell is escaped (pass plain text, never markup)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{escape(str(c))}</td>'
                                    for i, c in enumerate(row)) + "</tr>\n" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"

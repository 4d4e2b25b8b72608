"""`zhmine show FILE`: one document as an HTML page with every figure, date and place highlighted
(spaCy's displaCy "ent" style, rendered with manual=True), the normalized value, region and year
in each highlight's tooltip.

    from extract.show import render_html
    html = render_html(extract.extract_file("report.txt"))
"""
from __future__ import annotations

import html
from pathlib import Path

# displaCy's ent template plus a tooltip (title), data attributes that tests and scripts can read, and an
# anchor (#at-START) that the figure page of `zhmine serve` links to.
TEMPLATE = """<mark class="entity zh-{type}" title="{tip}" data-type="{type}" data-value="{value}" id="at-{at}" \
style="background: {bg}; padding: 0.3em 0.45em; margin: 0 0.15em; line-height: 2.2; border-radius: 0.35em;">{text}\
<span style="font-size: 0.7em; font-weight: bold; line-height: 1; border-radius: 0.35em; vertical-align: middle; \
margin-left: 0.3rem">{label}</span></mark>"""

COLORS = {"FIGURE": "#ffd166", "DATE": "#a0d2eb", "PLACE": "#b8e0a8"}
PRIORITY = {"FIGURE": 0, "DATE": 1, "PLACE": 2}  # where highlights overlap, the figure wins


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v:,}" if isinstance(v, (int, float)) else str(v)


def _figure_tip(f: dict) -> str:
    value = _fmt(f["value"]) + (f"–{_fmt(f['value_max'])}" if f.get("value_max") is not None else "")
    lines = [f"{value} {f.get('unit') or ''}".strip() + (f" / {f['per']}" if f.get("per") else ""),
             f"kind: {f.get('kind')}" + (f", {f['approx']}" if f.get("approx") else "")]
    lines.append(f"region: {f.get('region') or '—'}")
    lines.append(f"year: {f.get('year') or '—'}" + (" (cumulative)" if f.get("cumulative") else ""))
    if f.get("metric") or f.get("category"):
        lines.append(f"metric: {f.get('metric') or '—'}" + (f" [{f['category']}]" if f.get("category") else ""))
    if f.get("optional"):
        lines.append("optional (name or policy term)")
    return "\n".join(lines)


def spans(result) -> list[dict]:
    """displaCy manual spans for a DocumentResult: sorted, without overlaps."""
    cands = []
    for f in result.figures:
        if f.get("start") is None:  # a table cell: listed under the text (table_html)
            continue
        cands.append({"start": f["start"], "end": f["end"], "label": f.get("kind") or "figure", "type": "FIGURE",
                      "tip": _figure_tip(f), "value": f"{f['value']} {f.get('unit') or ''}".strip()})
    for d in result.dates:
        cands.append({"start": d["start"], "end": d["end"], "label": "date", "type": "DATE",
                      "tip": f"date: {d.get('value') or 'unresolved'}" + (" (relative)" if d.get("relative") else ""),
                      "value": d.get("value") or ""})
    for p in result.places:
        cands.append({"start": p["start"], "end": p["end"], "label": "place", "type": "PLACE",
                      "tip": f"place: {p.get('path') or '—'}\ncode: {p.get('code') or '—'}", "value": p.get("path") or ""})
    chosen: list[dict] = []
    taken: list[tuple[int, int]] = []
    for c in sorted(cands, key=lambda c: (PRIORITY[c["type"]], c["start"])):
        if c["end"] > c["start"] and not any(c["start"] < e and s < c["end"] for s, e in taken):
            chosen.append(c)
            taken.append((c["start"], c["end"]))
    chosen.sort(key=lambda c: c["start"])
    return [{"start": c["start"], "end": c["end"], "label": c["label"],
             # params fill TEMPLATE's extra fields; displaCy escapes the text but not params
             "params": {"tip": html.escape(c["tip"]), "type": c["type"].lower(), "at": c["start"], "value": html.escape(str(c["value"])),
                        "bg": COLORS[c["type"]]}} for c in chosen]


def render_html(result) -> str:
    """A whole HTML page for one DocumentResult."""
    from spacy import displacy

    doc = {"text": result.text, "ents": spans(result), "title": None}
    body = displacy.render(doc, style="ent", manual=True, page=False, minify=False,
                           options={"template": TEMPLATE, "colors": COLORS})
    head = (f"<h2>{html.escape(result.name)}</h2>\n<p class='summary'>{len(result.figures)} figures, "
            f"{len(result.dates)} dates, {len(result.places)} places · date {html.escape(str(result.doc_date or '—'))}"
            f" · region {html.escape(str(result.default_region or '—'))} · hover a highlight for its values</p>\n"
            + "".join(f"<mark style='background:{c};padding:0.2em 0.5em;margin-right:0.5em'>{t.lower()}</mark>"
                      for t, c in COLORS.items()))
    body += table_html(result)
    return ("<!DOCTYPE html>\n<html lang='zh'>\n<head><meta charset='utf-8'>"
            f"<title>{html.escape(result.name)} · zhmine</title></head>\n"
            "<body style=\"margin:2em auto;max-width:60em;font-family:'Noto Sans CJK SC',sans-serif\">\n"
            f"{head}\n{body}\n</body>\n</html>\n")


def table_html(result) -> str:
    """The figures read from table cells (issue 15), one row each with where it came from: page,
    table (on its page), row and column, and the row label and column header its metric joins."""
    cells = [f for f in result.figures if f.get("start") is None and f.get("table") is not None]
    if not cells:
        return ""
    head = ("page", "table", "row", "column", "row label", "column header", "value", "unit", "year", "status")
    rows = []
    for f in cells:
        vals = (f.get("page"), f.get("table"), f.get("row"), f.get("column"), f.get("row_label"),
                f.get("column_header"), _fmt(f["value"]), f.get("unit"), f.get("year"), f.get("status"))
        rows.append("<tr class='table-figure' title='%s'>%s</tr>" % (
            html.escape(_figure_tip(f)), "".join(f"<td>{html.escape(str(v if v is not None else '—'))}</td>" for v in vals)))
    return (f"\n<h3>{len(cells)} figures in tables</h3>\n<table class='table-figures' style='border-collapse:collapse'>"
            "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>\n" + "\n".join(rows) + "\n</table>\n")


def write_html(path, output, doc_date: str | None = None) -> int:
    """Extract one file and write its page; returns the number of highlights."""
    from ..pipeline import extract_file

    result = extract_file(path, doc_date=doc_date)
    page = render_html(result)
    Path(output).write_text(page, encoding="utf-8")
    return page.count('class="entity ')

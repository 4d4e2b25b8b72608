"""Charts of grouped queries (bar or line, PNG and SVG) and a map of totals by region, with matplotlib
and a CJK font so that 南平市 is drawn, not boxes.

    from extract import chart, query
    chart.draw(query.connect("output/zhmine.db"), "premium.png", group_by=["prefecture", "year"],
               category="insurance_premium")
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import query

# Fonts that carry CJK glyphs, best first: Debian's fonts-noto-cjk, then others often installed.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "AR PL UMing CN", "SimHei", "Microsoft YaHei", "PingFang SC")


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The family name of an installed CJK font, registered with matplotlib."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            return name
    # matplotlib's cache may predate the font: look for the files themselves
    for path in font_manager.findSystemFonts():
        if "CJK" in Path(path).name or "wqy" in path.lower():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    raise query.QueryError("no CJK font installed: run scripts/system-deps.sh (Debian: apt-get install fonts-noto-cjk)")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = [cjk_font(), "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False  # the CJK font lacks U+2212
    plt.rcParams["svg.fonttype"] = "none"  # SVG keeps text as text (searchable, small)
    return plt


def _label(row: dict, cols: list[str]) -> str:
    """The most specific region level and the other group values, e.g. 南平市 or 2021."""
    levels = [c for c in cols if c in query.LEVELS]
    parts = []
    if levels:
        parts.append(next((str(row[c]) for c in reversed(levels) if row.get(c)), "(未归属)"))
    parts += [("(无)" if row.get(c) is None else str(row[c])) for c in cols if c not in query.LEVELS]
    return " ".join(parts)


def _outputs(output) -> list[Path]:
    png = Path(output)
    if png.suffix.lower() not in (".png", ".svg"):
        png = png.with_suffix(".png")
    png.parent.mkdir(parents=True, exist_ok=True)
    return [png.with_suffix(".png"), png.with_suffix(".svg")]


# what a chart's value is (query.AGGREGATES), as its axis names it
AXIS = {"auto": "数值", "sum": "合计", "mean": "平均", "max": "最大", "min": "最小", "latest": "最新", "count": "条数"}
LEGACY = {"total": "sum", "figures": "count"}  # the older --measure total|figures


def _aggregate(aggregate: str | None, filters: dict) -> str:
    """The aggregate asked for; `measure=total|figures` (the older name of this option) still works."""
    if filters.get("measure") in LEGACY:
        return LEGACY[filters.pop("measure")]
    return LEGACY.get(aggregate, aggregate or "auto")


# how a filter reads in a title: 2025年 福建省 地区生产总值 累计, never `False False`
FLAG_WORDS = {"cumulative": ("累计", "当年"), "rates": ("比率", None), "exact": ("确数", "约数")}
VALUE_WORDS = {"kind": {"money": "金额", "count": "数量", "percent": "百分比", "weight": "重量", "duration": "时长",
                        "age": "年龄"},
               "direction": {"up": "增长", "down": "下降", "none": "总量"}, "status": {"target": "目标", "none": "已完成"},
               "measure": {"level": "总量", "change": "变化", "share": "占比", "rate": "比率"}}


def _title(filters: dict, aggregate: str, unit: str) -> str:
    words = []
    for key, value in filters.items():
        if value in (None, "") or key == "unit":  # the unit ends the title
            continue
        if key in FLAG_WORDS:
            word = FLAG_WORDS[key][0 if value else 1]
        elif key == "year":
            word = f"{value}年"
        elif key == "year_from":
            word = f"{value}年起"
        elif key == "year_to":
            word = f"至{value}年"
        elif key == "category":
            word = _names("metrics", "categories").get(query.category_id(value), value)
        elif key == "indicator":
            word = _names("indicators", "indicators").get(value, value)
        elif key in VALUE_WORDS:
            word = VALUE_WORDS[key].get(value, value)
        elif key == "search":
            word = f"含“{value}”"
        else:
            word = str(value)
        if word:
            words.append(word)
    what = AXIS[aggregate]
    return " ".join(words + [f"{what}（{unit}）" if aggregate != "count" else what])


@lru_cache(maxsize=4)  # rules.load reads and checks the file each time
def _names(rules_file: str, table: str) -> dict:
    """id -> Chinese name of a category (patterns/metrics.toml) or an indicator (indicators.toml)."""
    from ..text import rules

    try:
        return {k: v.get("name", k) for k, v in rules.load(rules_file)[table].items()}
    except Exception:
        return {}


def _magnitude(top: float, unit: str) -> tuple[float, str]:
    """Axis numbers as a Chinese reader writes them: 5280万元 rather than 52800000元."""
    if unit in ("%", "(无)"):
        return 1, unit
    for scale, word in ((1e8, "亿"), (1e4, "万")):
        if top >= scale * 10:
            return scale, word + unit
    return 1, unit


def draw(db, output, group_by, chart_type: str = "bar", aggregate: str = "auto", title: str | None = None,
         **filters) -> list[Path]:
    """Chart the grouped query; the first grouping is the x axis, a second one makes the series.
    aggregate (query.AGGREGATES): auto sums what adds up and takes the latest of percentages and rates;
    sum refuses those. Writes OUTPUT as PNG and an SVG beside it; returns both paths."""
    aggregate = _aggregate(aggregate, filters)
    groups = [g for g in (group_by if isinstance(group_by, list) else [group_by]) if g]
    if not 1 <= len(groups) <= 2:
        raise query.QueryError("a chart needs one or two --group-by (x axis, then series)")
    rows = query.figures(db, group_by=groups, aggregate=aggregate, **filters)
    # a rate (元 per 户) is its own unit: 元/户
    units = sorted({(r["unit"] or "(无)") + (f"/{r['per']}" if r.get("per") else "") for r in rows})
    if not rows:
        raise query.QueryError("no figures match these filters: nothing to draw")
    if len(units) > 1 and aggregate != "count":
        raise query.QueryError(f"these figures have {len(units)} units ({', '.join(units)}): add --unit or --kind "
                               "(and --no-rates for rates such as 元/户), since values in different units cannot be added")
    measures = sorted({r.get("measure") or "(无)" for r in rows})
    if len(measures) > 1 and aggregate != "count":
        raise query.QueryError(f"these figures measure {len(measures)} things ({', '.join(measures)}): add --measure "
                               "(level, change, share or rate), since a change does not add to a level")
    if aggregate == "sum" and any(r["value"] is None for r in rows):
        raise query.QueryError("percentages, shares and rates do not add up: use --aggregate mean, max or latest")
    x_cols = query.GROUPS[groups[0]]
    s_cols = [c for c in query.GROUPS[groups[1]] if c not in x_cols] if len(groups) == 2 else []
    xs = list(dict.fromkeys(_label(r, x_cols) for r in rows))
    series: dict[str, dict[str, float]] = {}
    for r in rows:
        name = _label(r, s_cols) if s_cols else ""
        series.setdefault(name, {})
        key = _label(r, x_cols)
        if aggregate == "count":  # counts of figures add up across units
            series[name][key] = series[name].get(key, 0) + r["figures"]
            continue
        if key in series[name]:
            raise query.QueryError(f"two groups draw as {key} {name}: group by fewer columns or filter more")
        series[name][key] = r["value"] or 0

    unit = units[0]
    scale, unit = _magnitude(max(max(v.values()) for v in series.values()), unit) if aggregate != "count" else (1, unit)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(xs) * max(1, len(series)) ** 0.5 + 2), 4.5), dpi=110)
    width = 0.8 / len(series)
    # series in order, the one without a value ("(无)": no year, no category) last
    for i, (name, values) in enumerate(sorted(series.items(), key=lambda kv: (kv[0] == "(无)", kv[0]))):
        ys = [values.get(x, 0) / scale for x in xs]
        if chart_type == "line":
            ax.plot(range(len(xs)), ys, marker="o", label=name or None)
        else:
            ax.bar([j - 0.4 + width * (i + 0.5) for j in range(len(xs))], ys, width=width, label=name or None)
    ax.set_xticks(range(len(xs)), xs, rotation=30 if max(len(x) for x in xs) > 4 else 0, ha="right")
    ax.set_ylabel(f"{AXIS[aggregate]}（{unit}）" if aggregate != "count" else "条数")
    ax.set_title(title or _title(filters, aggregate, unit))
    ax.ticklabel_format(axis="y", style="plain", useOffset=False)
    if len(series) > 1:
        ax.legend()
    return _save(fig, output)


def _save(fig, output) -> list:
    """Write the figure as PNG and SVG (see _outputs) and free it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    paths = _outputs(output)
    for p in paths:
        fig.savefig(p)
    plt.close(fig)
    return paths


def draw_map(db, output, title: str | None = None, aggregate: str = "auto", level: str = "province",
             **filters) -> list[Path]:
    """A choropleth: each province (or prefecture) filled by its figures' total, outlines from the
    research extra's data (research/geo.py), a legend of value classes and labels that do not overlap."""
    from matplotlib.patches import Patch, Polygon

    from . import amounts, geo

    aggregate = _aggregate(aggregate, filters)
    rows = geo.totals(db, level, aggregate=aggregate, **filters)
    if not rows:
        raise query.QueryError("no figures with a region code match these filters: nothing to map")
    units = sorted({r["unit"] or "(无)" for r in rows})
    if len(units) > 1 and aggregate != "count":
        raise query.QueryError(f"these figures have {len(units)} units ({', '.join(units)}): add --unit or --kind")
    by_area: dict[str, dict] = {}
    for r in rows:  # one value per area: the measure with most figures (a level before its change)
        if r["code"] not in by_area or r["figures"] > by_area[r["code"]]["figures"]:
            by_area[r["code"]] = r
    unit = units[0] if aggregate != "count" else "条"
    values = sorted(r["value"] for r in by_area.values() if r["value"] is not None)
    distinct = sorted(set(values))
    cuts = distinct[:-1] if len(distinct) <= len(MAP_COLORS) else sorted(
        {values[i * len(values) // len(MAP_COLORS)] for i in range(1, len(MAP_COLORS))})
    palette = MAP_COLORS[len(MAP_COLORS) - len(cuts) - 1:]
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 7.5), dpi=110)
    labels = []
    for area in geo.areas(level):
        hit = by_area.get(area["code"])
        color = palette[sum(hit["value"] > c for c in cuts)] if hit and hit["value"] is not None else "#e5e7eb"
        for ring in area["rings"]:
            ax.add_patch(Polygon(ring, closed=True, facecolor=color, edgecolor="white", linewidth=0.4))
        if hit:
            labels.append((hit["value"] or 0, area))
    # the whole country for provinces; for prefectures, the part of it that has figures
    x0, x1, y0, y1 = 73, 135.5, 17.5, 54
    if level == "prefecture":
        xs = [x for _, a in labels for ring in a["rings"] for x, _ in ring]
        ys = [y for _, a in labels for ring in a["rings"] for _, y in ring]
        x0, x1, y0, y1 = min(xs) - 1, max(xs) + 1, min(ys) - 1, max(ys) + 1
    placed: list[tuple[float, float]] = []
    for value, area in sorted(labels, key=lambda t: -t[0]):
        x, y = area["label"]
        if any(abs(x - px) < 0.08 * (x1 - x0) and abs(y - py) < 0.05 * (y1 - y0) for px, py in placed):
            continue  # a smaller area's label would overlap a bigger one's: its value is in the legend's class
        placed.append((x, y))
        ax.annotate(f"{area['name']}\n{amounts.human(value, unit if aggregate != 'count' else None, digits=4)}", (x, y),
                    ha="center", va="center", fontsize=7,  # a box rather than a halo: path effects turn SVG text into paths
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75})
    lows = [values[0]] + [min(v for v in values if v > c) for c in cuts]
    highs = cuts + [values[-1]]
    handles = [Patch(facecolor=c, label=amounts.human(lo, unit, digits=4) if lo == hi else
                     f"{amounts.human(lo, unit, digits=4)} – {amounts.human(hi, unit, digits=4)}")
               for c, lo, hi in zip(palette, lows, highs)]
    handles.append(Patch(facecolor="#e5e7eb", label="无数据"))
    ax.legend(handles=handles, loc="lower left", fontsize=8, framealpha=0.9)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / 0.82)  # cos(35°): degrees of longitude shrink northwards
    ax.axis("off")
    ax.set_title(title or _title(filters, aggregate, unit))
    return _save(fig, output)


MAP_COLORS = ["#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"]  # light to dark (as datasette/static/map.js)

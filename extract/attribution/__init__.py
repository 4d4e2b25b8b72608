"""Attribution: for each figure, the region and year it belongs to, what it measures, and whether
it is a running total. Runs last, after dates, places and figures; reads their spans.

    span._.region      /-path, most specific level, at most township (villages go up)
    span._.region_source how the region was decided: sentence (a place or scope word of its own
                       sentence), carried (from an earlier sentence), heading (the part's heading),
                       document (the article's area, inferred), metadata (the area the user gave)
    span._.region_code the gazetteer code of that region, or None
    span._.year        int or None (only where the text fixes it)
    span._.metric      a short label in the document's words ("开展女性免费健康体检", "救扶…女性")
    span._.category    an id from patterns/metrics.toml ("health_checks")
    span._.cumulative  True for running totals and standing stocks (累计, 截至, 至今, 以来, 目前)
doc._.article_region (the area the article is about) and doc._.article_year are set too.

How, in short:
- region: walk the paragraph up to the figure; the last place named in the sentence (not inside
  《》 or quotes, not one of a list, not a partner after 联合/与, place chains count as their deepest
  place) or scope word (全市, 我县, 全区, 省红十字会: the area of that level in context) wins; from
  earlier sentences only a place opening its clause carries over; `A、B分别…X和Y` maps in order.
  Else the part under the current heading (its place, or a subject place of its first sentences,
  or the place of the source line closing it); else the article's region (title, source line,
  first sentences), else the document's. Villages go to their township if named, else county.
- year: the last time expression before the figure in its sentence; else the last one that opens a
  clause earlier in the paragraph (`2022年以来，…`); else the year in force (times.in_force: set by
  headings, `2025年工作回顾`, `工作回顾` (the reviewed year), `今年工作安排`, and by a year-level
  expression opening a paragraph, `【…】2019年，…`, until another replaces it; a stretch of years,
  `五年来`, `“十四五”时期`, gives none); else the article's year (a dated title, or the lead
  `今年以来，…`/`2022年，…`), else a year stated in passing earlier in the paragraph. Comparison bases
  (`与2020年相比`, `比上年`) fix no year; `从2020年的X提高到2025年的Y` gives each its year; 年末/三季度
  take the year in force; 近年来 fixes no year; 去年/目前 need the document date (or a dateline at the
  top); 每年 in a multi-year plan has no year.
- cumulative: a marker before the figure in its sentence (累计, 截至, 以来, N年来; not 一年来, not
  `30年来首次`), not cancelled by a later time expression (`累计投入864万元（今年投入260万元）`: the
  second is not cumulative; 截至…今年 and 连续多年 do not cancel); 目前 reaches one clause; a clause
  after ； opening with a verb and no time of its own takes the flag before; a breakdown (`其中…`,
  `（含…）`) takes its total's; a target clause (力争, 计划) and a percentage (a change, a level; only a
  ratio after 累计) never.
- metric: the verb-object phrase governing the number, from jieba words and tags on the clause
  before the figure (a window of a few dozen characters: jieba only runs there), plus the noun after
  a count (`救扶247名女性`); the category by key words (patterns/metrics.toml).
All matching runs on a simplified copy of the text (OpenCC t2s keeps offsets), so traditional
characters work the same way; labels are cut from the original text. The words of the rules are
data (patterns/attribution.toml, compiled by lexicon.py onto the component).

The modules, imported one way: lexicon <- clauses <- times <- context (the article's context, built
once) <- wordcut (jieba's words and tags) <- phrases (a label's words) <- region, year, cumulative,
metric (one answer per figure) <- this package (the component).
"""
from __future__ import annotations

import bisect

from spacy.language import Language
from spacy.tokens import Doc

from .. import meaning
from ..text import rules
from ..text.hanzi import simplified_doc
from ..text.spans import doc_text, set_span_extensions, span_extension
from .clauses import CLAUSE_END_RE, SENT_STOP, clause_start
from .context import Context, Place, build_context, cap_level
from .cumulative import cumulative_of
from .lexicon import Lexicon, default_gazetteer
from .metric import Taxonomy, category_of, metric_of
from .wordcut import cut, words
from .region import all_region_events, region_code, region_of, respective
from .year import year_of

__all__ = ["Attribution", "make_attribute", "Lexicon", "Taxonomy", "Context", "Place", "build_context", "cap_level",
           "category_of", "cumulative_of", "cut", "metric_of", "region_of", "simplified_doc", "words", "year_of"]

for _name in ("article_region", "article_year"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory(
    "zh_attribute",
    assigns=["doc._.article_region", "doc._.article_year", "span._.region", "span._.region_source", "span._.region_code", "span._.year",
             "span._.metric", "span._.category", "span._.cumulative",
             "span._.direction", "span._.status", "span._.period", "span._.measure", "span._.indicator"],
    default_config={"patterns": "attribution", "taxonomy": "metrics"},
)
def make_attribute(nlp: Language, name: str, patterns: str, taxonomy: str) -> "Attribution":
    """zh_attribute: patterns and taxonomy name the files of patterns/ its rules come from."""
    return Attribution(nlp, name, patterns=patterns, taxonomy=taxonomy)


class Attribution:
    """Sets region, region_code, year, metric, category and cumulative on each of doc.spans["figures"]."""

    def __init__(self, nlp: Language, name: str = "zh_attribute", patterns: str = "attribution",
                 taxonomy: str = "metrics"):
        self.name = name
        self.lexicon = Lexicon(rules.load(patterns))
        self.taxonomy = Taxonomy(rules.load(taxonomy))
        self.gazetteer = default_gazetteer()
        self.meaning = meaning.compiled()  # direction, status, period, measure, indicator

    def __call__(self, doc: Doc) -> Doc:
        # the figures' bounds read once (spaCy builds a new Span on every access), in text order
        bounds = sorted(((sp.start_char, sp.end_char) for sp in doc.spans.get("figures", [])), key=lambda b: b[0])
        orig = doc_text(doc)
        ctx = build_context(doc, orig, self.lexicon, self.gazetteer)
        doc._.article_region = ctx.article_region
        doc._.article_year = ctx.article_year
        text = ctx.text
        taxonomy = self.taxonomy
        prev_end, prev_sent, prev_label = -1, None, None
        sents = ctx.sentences
        sent_starts = [st for st, _ in sents]
        fig_starts = [start for start, _ in bounds]
        each = respective(ctx, fig_starts)
        all_region_events(ctx, fig_starts)
        for i, (start, end) in enumerate(bounds):
            k = bisect.bisect_right(sent_starts, start) - 1
            s0, s_end = sents[k] if k >= 0 else (0, len(text))
            s_end = max(s_end, end)
            own_clause = clause_start(text, start, s0)
            label_start = own_clause  # after the figure before in the clause, if any
            if prev_sent == s0 and prev_end > label_start:
                label_start = prev_end
            m = CLAUSE_END_RE.search(text, end, s_end)
            clause_end = m.start() if m else max(s_end, end)
            post_end = clause_end
            if i + 1 < len(bounds) and fig_starts[i + 1] < post_end:
                post_end = fig_starts[i + 1]

            region, region_source = (each[i], "sentence") if i in each else region_of(ctx, start, s0)
            kind, unit = span_extension(doc, start, end, "kind"), span_extension(doc, start, end, "unit")
            year = year_of(ctx, start, s0, own_clause)
            cumulative = cumulative_of(ctx, start, s0, unit)
            same_stretch = prev_end >= 0 and not SENT_STOP.search(text, prev_end, start)
            label = metric_of(ctx, orig, start, end, kind, unit, label_start, clause_end, post_end,
                              prev_label if same_stretch else None, s0)
            values = {
                "region": region, "region_source": region_source, "region_code": region_code(ctx, region), "year": year, "cumulative": cumulative,
                "metric": label, "category": category_of(label, kind, unit, text[own_clause:start], taxonomy)}
            values.update(self._meaning(text, start, end, unit, label or text[s0:start], year, ctx.doc_year))
            set_span_extensions(doc, start, end, values)
            prev_end, prev_sent, prev_label = end, s0, label
        return doc

    def _meaning(self, text: str, start: int, end: int, unit, label, year, doc_year) -> dict:
        """direction, status, period, measure and indicator (extract/meaning.py); a figure over a
        period of years (五年来, "十四五"期间, 2021—2025年) belongs to no one year, and the first of a
        from-to pair to the year before the span its line covers. label: the metric, else the sentence
        before the figure (its indicator: 地区生产总值跨越3个千亿元台阶，达到1.5万亿元)."""
        m = self.meaning
        direction = m.direction(text, start, end, unit)
        measure = m.measure(text, start, end, unit, direction=direction)
        period = m.period(text, start, end, doc_year)
        values = {"direction": direction, "status": m.status(text, start, end, doc_year, year, period=period),
                  "period": period, "measure": measure, "indicator": m.indicator(label, unit, measure)}
        if period:
            values["year"] = None
        else:
            pair, pair_year = m.pair_year(text, start, end, doc_year)
            if pair:  # 从11.37万亿元提高到14.58万亿元: two levels of two years
                values["year"] = pair_year
            elif measure == "level" and (review := m.review_year(text, start, doc_year, values["indicator"])):
                values["year"] = review  # "十四五"时期…地区生产总值达到1.5万亿元: the span's last year
        return values

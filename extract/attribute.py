"""Attribution: for each figure, the region and year it belongs to, what it measures, and whether
it is a running total. Runs last, after dates, places and figures; reads their spans.

    span._.region      /-path, most specific level, at most township (villages go up)
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
  clause earlier in the paragraph (`2022年以来，…`); else a dated heading; else the article's year (a
  dated title `2021年…工作综述`, or the lead sentence `今年以来，…`). 近年来 fixes no year; 今年/去年/
  目前 need the document date (or a dateline at the top); 每年 in a multi-year plan has no year.
- cumulative: a marker before the figure in its sentence, not cancelled by a later time expression
  (`累计投入864万元（今年投入260万元）`: the second is not cumulative); 目前 reaches one clause.
- metric: the verb-object phrase governing the number, from jieba words and tags on the clause
  before the figure (a window of a few dozen characters: jieba only runs there), plus the noun after
  a count (`救扶247名女性`); the category by key words (patterns/metrics.toml).
All matching runs on a simplified copy of the text (OpenCC t2s keeps offsets), so traditional
characters work the same way; labels are cut from the original text.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from .text import rules
from . import words as jieba_words  # (this module has a words() of its own)
from .text.hanzi import simplified, simplified_doc
from .text.spans import doc_text, set_span_extensions, span_extension

for _name in ("article_region", "article_year"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

# ------------------------------------------------------------------ patterns (on simplified text)
# Patterns allow \s* inside words: the source may split them with spaces or line breaks.
CLAUSE_END = "，,；;。！？!?：:（(）)\n"
_CUMULATIVE = regex.compile(r"累\s*计|截\s*[至止]|至\s*今|迄\s*今|以\s*来|目\s*前")
# Time expressions that start a new period and so end a cumulative stretch (besides date spans).
_TIME = regex.compile(r"(?:19|20)\d\d\s*年|[今去前当本每全]\s*年|上\s*半\s*年|下\s*半\s*年|近\s*年|多\s*年")
# Year markers the dates component may not resolve the way attribution needs.
_YEAR_MARKS = regex.compile(
    r"(?P<this>今\s*年|本\s*年\s*度?)|(?<![较比同])(?P<last>去\s*年|上\s*一?\s*年\s*度?)(?!\s*同期|\s*的\s*[\d一二两三四五六七八九十百千])"
    r"|(?P<article>一\s*年\s*来|这\s*一\s*年|过\s*去\s*的?\s*一\s*年)"
    r"|(?P<now>截\s*至\s*目\s*前|目\s*前|当\s*前|至\s*今)"
    r"|(?P<none>近\s*年\s*来?|多\s*年\s*来|近\s*些\s*年|长\s*期\s*以\s*来)"
)
_YEAR = regex.compile(r"((?:19|20)\d\d)\s*年")
# 每年1万个家庭，连续资助3年: a quantity for every year of a multi-year plan belongs to no one year
_PER_YEAR = regex.compile(r"每\s*年")
_MULTI_YEAR = regex.compile(r"连续|为期|[一二两三四五六七八九十\d]\s*年(?![度底初末内])")
# 全市, 我县, 本区: the article's area of that level.
_SCOPE = regex.compile(r"(?:全|我|本)\s*(省|市|县|区|州|盟|旗|镇|乡)(?!\s*[委政长级直属])")
# 省红十字会, 市计生协: an organisation of that level speaks for the whole area
_ORG_SCOPE = regex.compile(r"(省|市|县|区)(?=\s*(?:红十字会|妇联|计生协|计划生育协会|慈善总会|慈善会|民政|卫健委|"
                           r"残联|总工会|团委|政府|委员会|财政))")
_RESPECTIVELY = regex.compile(r"分\s*别")
_PARTNER_BEFORE = ("联合", "与", "同", "会同", "携手", "协同", "委托", "来自")
_HEADING_MAX = 40
_NUM = regex.compile(r"[\d.]+")
_NOW = regex.compile(r"目\s*前")
_COMPARED = regex.compile(r"\s*同期|\s*的\s*[\d一二两三四五六七八九十百千]")
_JIEZHI = regex.compile(r"截\s*[至止]")
_YEAR_SINCE = regex.compile(r"[\d〇零一二两三四五六七八九十]*\s*年\s*(?:以\s*来|至\s*今)")
_MONTH_AFTER = regex.compile(r"\s*\d{1,2}\s*月")
_HEADING_STOP = regex.compile(r"[。；;，,！？!?]")
_HEAD_CHAR = regex.compile(r"[\p{Han}《“A-Za-z]")
_PUNCT = regex.compile(r"\p{P}+")
_HAN = regex.compile(r"\p{Han}")
_SPACE = regex.compile(r"\s+")
_SPACE_1 = regex.compile(r"\s")
_SENT_STOP = regex.compile(r"[。！？!?；;]")
_BOOK = regex.compile(r"《[^《》\n]{0,60}》")
_FULL_STOP = regex.compile(r"[。！？!?]")
_ENG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")  # jieba's re_eng
_CLAUSE_END = regex.compile("[" + regex.escape(CLAUSE_END) + "]")
_CLAUSE_END_BACK = regex.compile("[" + regex.escape(CLAUSE_END) + "]", flags=regex.REVERSE)

LEAD_TAGS = {"d", "c", "p", "t", "m", "r", "f", "q", "x", "uj", "ul", "uz", "ud", "ug", "uv", "ns", "nt", "nr", "mq"}
LEAD_WORDS = {"全市", "全省", "全县", "全区", "全州", "全镇", "全乡", "各级", "全国", "我会", "本会", "协会",
              "计生协会", "计生协", "各地", "省级", "市级", "县级", "乡级", "今年", "其中", "此外", "同时",
              "据统计", "累计", "共", "共计", "总计", "合计", "先后", "已", "还", "并", "又", "仅", "就", "都",
              "均", "分别", "已经", "以来", "目前", "截至", "年", "去年", "全年"}
TRAIL_TAGS = {"p", "c", "d", "uj", "ul", "uz", "ud", "ug", "uv", "r", "m", "x", "f", "t", "mq"}
TRAIL_WORDS = {"达", "为", "有", "是", "到", "至", "超", "超过", "近", "约", "逾", "突破", "计", "达到", "共",
               "共计", "累计", "最高", "最多", "不少", "不少于", "至少", "已", "分别", "就", "的", "各", "现在",
               "总计", "合计", "多", "余", "高达", "约为", "仍将", "将", "可", "获得", "每", "人均", "户均"}
CHANGE_VERBS = {"提高", "增加", "增长", "上升", "下降", "降低", "提升", "减少", "增至", "降至", "扩大", "提高到",
                "增加到", "达到", "调整", "调整为", "上调"}
NOUN_TAGS = ("n", "vn", "an", "nz", "ng", "nt", "ns", "nr", "j", "l", "b", "a", "i", "eng", "zg")
_LABEL_MAX = 16


def words(text: str) -> list[tuple[str, str]]:
    """jieba words with their part-of-speech tags, for a short window of text."""
    return list(_words(text))


# The memos of this module are small on purpose: a document repeats its phrases (培训, 发放慰问金)
# within a few thousand windows, which is what they are for. Four times larger, they also remembered
# whole documents seen before (a benchmark that repeats its corpus ran 20% faster on its copies, where
# an archive would not) and held ~40 MB more per worker once full.
@lru_cache(maxsize=2048)
def _words(text: str) -> tuple[tuple[str, str], ...]:
    dt, tags = jieba_words.tokenizer(), jieba_words.tags()
    tag_of = _TAG_OF
    return tuple([(w, tag_of.get(w) or _tag(w, tags)) for w in _cut(text, dt)])


def _tag(w: str, tags: dict) -> str:
    """The tag of a word _words has not met yet, remembered in _TAG_OF."""
    if _NUM.fullmatch(w):
        tag = "m"
    elif _PUNCT.fullmatch(w):
        tag = "x"
    else:
        tag = tags.get(w, "x" if len(w) == 1 and not _HAN.match(w) else "n?")
        if tag == "ns":
            tag = "n?"  # the gazetteer tags every village name (惠及, 和平) ns: places come from spans
    if len(_TAG_OF) > 20_000:
        _TAG_OF.clear()  # numbers are words too: keep the table bounded
    _TAG_OF[w] = tag
    return tag


_TAG_OF: dict[str, str] = {}  # word -> tag as _words gives it (jieba's tag table does not change)


def _cut(text: str, dt) -> list[str]:
    """dt.lcut(text, HMM=False), word for word, at about twice the speed: jieba cuts each run of
    Han characters, letters and digits on its own (memoized) and splits the rest into characters."""
    out: list[str] = []
    han, skip = jieba_words.blocks()
    # split() with a capturing group puts the matched runs at the odd indices: no need to re-match
    for k, blk in enumerate(han.split(text)):
        if k % 2:
            out.extend(_cut_block(blk, dt.total))
        elif blk:
            for j, x in enumerate(skip.split(blk)):
                if j % 2:
                    out.append(x)  # a space or line break is a word of its own
                else:
                    out.extend(x)
    return out


@lru_cache(maxsize=4096)
def _cut_block(s: str, total: int) -> tuple[str, ...]:
    """jieba's dictionary cut of one block (Tokenizer.__cut_DAG_NO_HMM: words.best_route, then
    jieba's English buffer). total is part of the key: names added to the dictionary change it."""
    best_end = jieba_words.best_route(s, total)
    n = len(s)
    out = []
    buf = ""
    x = 0
    while x < n:
        y = best_end[x]
        word = s[x:y]
        if word in _ENG_CHARS:
            buf += word  # single letters and digits run together (jieba's English buffer)
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(word)
        x = y
    if buf:
        out.append(buf)
    return tuple(out)


@lru_cache(maxsize=1)
def _gazetteer():
    try:
        from . import gazetteer

        return gazetteer.get()
    except Exception:
        return None


@lru_cache(maxsize=1)
def _taxonomy():
    data = rules.load("metrics")
    entries = []  # (word, category id, generic, kinds)
    for cid, cat in data.get("categories", {}).items():
        for w in cat.get("words", []):
            entries.append((w, cid, bool(cat.get("generic")), tuple(cat.get("kinds", ()))))
    by_word: dict[str, list] = {}
    for w, cid, generic, kinds in entries:
        by_word.setdefault(w, []).append((cid, generic, kinds))
    # last character -> the lengths of the key words ending with it, for _category_in's scan
    lengths: dict[str, set] = {}
    for w in by_word:
        lengths.setdefault(w[-1], set()).add(len(w))
    return {c: sorted(ls) for c, ls in lengths.items()}, by_word, data.get("by_unit", {})


def category_of(label: str | None, kind: str | None = None, unit: str | None = None,
                clause: str | None = None) -> str | None:
    """The taxonomy category of a metric label: the key word ending furthest right wins."""
    by_unit = _taxonomy()[2]
    for text in (label, clause):
        if not text:
            continue
        found = _category_in(text, kind)
        if found:
            return found
    return by_unit.get(unit or "")


@lru_cache(maxsize=2048)
def _category_in(text: str, kind: str | None) -> str | None:
    """The category whose key word ends furthest right in text (labels repeat: cached)."""
    lengths, by_word, _ = _taxonomy()
    text = _squash(text)
    if not text.isascii():
        text = simplified(text)
    best = None  # (specific, end, length, cid)
    # every key word by where it ends, from the right: the first end with a specific key word
    # settles it (a generic one only wins when no specific one is found anywhere)
    for j in range(len(text), 0, -1):
        for length in lengths.get(text[j - 1], ()):
            i = j - length
            if i < 0:
                break
            for cid, generic, kinds in by_word.get(text[i:j], ()):
                if kinds and kind and kind not in kinds:
                    continue
                key = (not generic, j, length, cid)
                if best is None or key > best:
                    best = key
        if best and best[0]:
            break
    return best[3] if best else None


# ------------------------------------------------------------------ the document context
@dataclass
class Place:
    start: int
    end: int
    path: str
    level: str | None
    name: str
    i: int = -1  # position in the article's list of places


@dataclass
class Context:
    text: str             # simplified article text
    doc_year: int | None
    article_region: str | None
    article_year: int | None
    paragraphs: list[tuple[int, int]]
    para_starts: list[int]
    places: list[Place]
    year_events: list[tuple[int, int, int | None, bool]]  # start, end, year, opens a clause
    date_starts: list[int]  # starts of the date spans (with _TIME's matches, end cumulative stretches)
    heading_years: dict[int, int | None]  # paragraph index -> year of the heading governing it
    sections: list[tuple[int, str | None]]  # (start, region) of each part under a heading
    place_starts: list[int]
    sentences: list[tuple[int, int]]
    # built once per article so that each figure costs a bisect, not a walk over the article
    sent_starts: list[int] = field(default_factory=list)
    section_starts: list[int] = field(default_factory=list)
    year_open: list[int] = field(default_factory=list)  # year_events index -> last opening one <= it
    region_events: list | None = None       # see _all_region_events
    guarded: list[tuple[int, int]] = field(default_factory=list)  # 《…》 and “…” spans there
    region_event_starts: list[int] = field(default_factory=list)
    para_fold: tuple | None = None          # (p_start, sent_start, next event, state): see region_of
    sent_fold: tuple | None = None          # (p_start, sent_start, fig_start, next event, state)
    scope_fallback: dict = field(default_factory=dict)  # level char -> per place index answer
    cumulative_marks: list | None = None    # every _CUMULATIVE match of the text (see _last_mark)
    cumulative_starts: list[int] = field(default_factory=list)


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence bounds as zh_sentences draws them (segment.sentences), without building tokens."""
    from .segment import sentences

    return sentences(text)


_FULL_DATE = regex.compile(r"(\d{4})-\d{2}-\d{2}$")
_MONTH_DAY = regex.compile(r"\s*(\d{1,2})\s*月")
_DATELINE = regex.compile(r"((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def _doc_year(doc: Doc, text: str, dates: list[tuple[int, int]]) -> int | None:
    """The year of the document date; without one, of a full date on a heading line at the top
    (`安吉县民政局办公室　2023年9月15日`), the article's own dateline."""
    d = doc._.doc_date
    if d:
        m = regex.match(r"(\d{4})", str(d))
        if m:
            return int(m.group(1))
    top = 0
    for m in regex.finditer(r"[^\n]+", text[:300]):
        if not _is_heading(m.group()):
            break
        top = m.end()
    for s, e in dates:
        if s >= top:
            break
        dm = _FULL_DATE.match(str(span_extension(doc, s, e, "value") or ""))
        if dm:
            return int(dm.group(1))
    dm = _DATELINE.search(text, 0, top)
    return int(dm.group(1)) if dm else None


def _blocks(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Paragraphs, with hard-wrapped lines joined: a line not ending a sentence runs on."""
    paras = []
    if "paragraphs" in doc.spans:
        # the bounds of zh_sentences' paragraph spans, which are segment.paragraphs of the doc's
        # text (a paragraph's bounds are token bounds): its kept answer, read without building a
        # Span per paragraph (spaCy reads each one's bounds from its tokens)
        from .segment import paragraphs

        paras = paragraphs(doc_text(doc))
    if not paras:
        paras = [(m.start(), m.end()) for m in regex.finditer(r"[^\n]+", text)]
    out: list[list[int]] = []
    for s, e in paras:
        if out and not _block_ends_sentence(text, *out[-1]) and not _block_is_heading(text, *out[-1]):
            out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _ends_sentence(t: str) -> bool:
    t = t.rstrip()
    return not t or t[-1] in "。！？!?…”」』）)"  # a paragraph never ends on ；


def _block_ends_sentence(text: str, s: int, e: int) -> bool:
    """_ends_sentence(text[s:e]) without copying a long block."""
    while e > s and text[e - 1].isspace():
        e -= 1
    return e == s or text[e - 1] in "。！？!?…”」』）)"


def _block_is_heading(text: str, s: int, e: int) -> bool:
    """_is_heading(text[s:e]) without copying a long block."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return e - s <= _HEADING_MAX and _is_heading(text[s:e])


def _is_heading(t: str) -> bool:
    t = t.strip()
    return 0 < len(t) <= _HEADING_MAX and not _HEADING_STOP.search(t)


_GUARDED = regex.compile(r"《[^《》\n]{0,60}》|“[^“”\n]{0,120}”|\"[^\"\n]{0,120}\"")


def _guarded(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The guarded spans of text[start:end]; start and end at line bounds (none crosses a line, so
    the matches are those of the whole text there)."""
    return [(m.start(), m.end()) for m in _GUARDED.finditer(text, start, len(text) if end is None else end)]


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """pos inside one of the (sorted, non-nested) spans."""
    i = bisect.bisect_left(spans, (pos,)) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def _clause_start(text: str, pos: int, floor: int = 0) -> int:
    """Start of the clause holding pos; a closed parenthesis (`除颤器（AED）`) is inside it."""
    i = pos
    while i > floor:
        m = _CLAUSE_END_BACK.search(text, floor, i)  # the last clause end before i
        if m is None:
            return floor
        i = m.end()
        if text[i - 1] in "）)":
            # an opening one at most 20 back: the parenthesis is inside the clause
            lo = max(floor, i - 20)
            j = max(text.rfind("（", lo, i - 1), text.rfind("(", lo, i - 1))
            if j >= 0:
                i = j
                continue
        break
    return i


def _opens_clause(text: str, start: int, floor: int = 0) -> bool:
    """True when nothing but a preposition stands between the clause start and `start`."""
    head = _squash(text[_clause_start(text, start, floor):start])
    return head in ("", "在", "于", "自", "从", "至", "到", "截至", "截止", "——", "—")


def _places(doc: Doc, orig: str) -> list[Place]:
    out = []
    for sp in doc.spans.get("places", []):
        start, end = sp.start_char, sp.end_char
        path = span_extension(doc, start, end, "path")
        if not path:
            continue
        out.append(Place(start, end, path, span_extension(doc, start, end, "level"), orig[start:end]))  # orig[...] is sp.text
    out.sort(key=lambda p: p.start)
    for i, p in enumerate(out):
        p.i = i
    return Places(out)


def _chain(text: str, places: list[Place], p: Place) -> Place:
    """The deepest place of a chain written together (泉州市鲤城区金龙街道 -> 金龙街道)."""
    i = p.i if p.i >= 0 else places.index(p)
    while i + 1 < len(places):
        q = places[i + 1]
        if text[places[i].end:q.start].strip() or not q.path.startswith(places[i].path + "/"):
            break
        i += 1
    return places[i]


def _in_chain_tail(text: str, places: list[Place], p: Place) -> bool:
    i = p.i if p.i >= 0 else places.index(p)
    return i > 0 and not text[places[i - 1].end:p.start].strip() and p.path.startswith(places[i - 1].path + "/")


def _cap_level(place: Place, text: str) -> str:
    """Villages and communities are not attribution targets: their township if named, else county."""
    if place.level not in ("village",) and place.path.count("/") <= 3:
        return place.path
    parts = place.path.split("/")
    gz = _gazetteer()
    # walk up to township/county; a township counts only when the text names it
    for depth in range(min(len(parts) - 1, 4), 0, -1):
        path = "/".join(parts[:depth])
        reg = gz.by_path(path) if gz else None
        level = reg.level if reg else ("township" if depth == 4 else "county" if depth == 3 else None)
        if level == "township":
            name = parts[depth - 1]
            short = reg.short_name if reg else None
            if name in text or (short and short in text):
                return path
            continue
        return path
    return place.path


def _heading_place(doc: Doc, text: str, places: list[Place], line: str | None) -> Place | None:
    if not line:
        return None
    at = text.find(simplified(line.strip()))
    if at < 0:
        return _line_place(line, doc._.default_region)
    for p in places:
        if at <= p.start < at + len(line.strip()):
            return p
    return None


def _line_place(line: str, default_region: str | None) -> Place | None:
    """The first place named in a title or source line kept outside the article's text."""
    try:
        from .places import find_places

        found = find_places(line, default_region)
    except Exception:
        return None
    found = sorted(found, key=lambda p: p.start)
    if not found:
        return None
    p = found[0]
    # the deepest place of a chain written together
    for q in found[1:]:
        if q.path.startswith(p.path + "/") and not line[p.end:q.start].strip():
            p = q
    return Place(p.start, p.end, p.path, p.level, p.text)


def _article_region(doc: Doc, text: str, places: list[Place], sents) -> str | None:
    """Title, then source line, byline, then the first sentences; else the document's region."""
    for line in (doc._.title, doc._.source_line, doc._.byline):
        p = _heading_place(doc, text, places, line)
        if p:
            return _cap_level(p, text)
    sents = sents[:4]
    if sents:
        p = _first_subject(text, places, 0, sents[-1][1], subject_only=False)
        if p:
            return _cap_level(p, text)
    return doc._.default_region


def _article_year(doc: Doc, text: str) -> int | None:
    """The year of a dated title (`2021年…工作综述`), among the heading lines at the top."""
    lines = [doc._.title] if doc._.title else []
    for m in regex.finditer(r"[^\n]+", text[:400]):
        line = m.group().strip()
        if not line:
            continue
        if not _is_heading(line):
            break
        lines.append(line)
    for line in lines:
        line = simplified(line)
        m = _YEAR.search(line)
        if m and not _MONTH_AFTER.match(line, m.end()):
            return int(m.group(1))
    return None


def _in_list(text: str, p: Place, places: list[Place]) -> bool:
    """One of several places listed together (浦城县、顺昌县等): none of them is the subject."""
    after = text[p.end:p.end + 2].lstrip()
    before = text[max(0, p.start - 2):p.start].rstrip()
    i = p.i if p.i >= 0 else places.index(p)
    nxt = places[i + 1] if i + 1 < len(places) else None
    prev = places[i - 1] if i > 0 else None
    if after[:1] in ("、", "和", "及", "与") and nxt and 0 < nxt.start - p.end <= 3:
        return True
    if before[-1:] in ("、",) and prev and 0 < p.start - prev.end <= 3:
        return True
    # 巴彦淖尔农高区等一批平台: an example, not the subject
    rest = text[p.end:p.end + 12]
    cut = min([rest.find(c) for c in CLAUSE_END + "、" if c in rest] or [len(rest)])
    return "等" in rest[:cut]


def _time_events(doc: Doc, text: str, dates: list[tuple[int, int]]):
    """The time expressions that can fix a figure's year, in text order: (start, end, year or the
    _YEAR_MARKS kind whose year _year_events fills in, opens a clause, is a mark). Apart from the
    years of the marks they do not depend on the article's year, so they are found once."""
    marks = [(m.start(), m.end(), m.lastgroup) for m in _YEAR_MARKS.finditer(text)]
    events = []
    covered_starts = [s for s, _, _ in marks]

    def overlaps(s: int, e: int) -> bool:
        # marks do not overlap each other: only the last one starting before e can reach past s
        k = bisect.bisect_left(covered_starts, e) - 1
        return k >= 0 and marks[k][1] > s

    for s, e in dates:
        if overlaps(s, e):
            continue
        if text[max(0, s - 1):s] in ("较", "比", "同") or _COMPARED.match(text, e):
            continue  # 较上年增长18%, 是去年的1.5倍: a comparison, not the figure's year
        year = span_extension(doc, s, e, "year")
        if year is None and not span_extension(doc, s, e, "relative"):
            year = _partial_date_year(text[s:e], doc)
            if year is None:
                continue  # a partial date whose year is unknown leaves the year as it is
        events.append((s, e, year, _opens_clause(text, s), False))
    if not dates:
        for m in _YEAR.finditer(text):
            if not overlaps(m.start(), m.end()):
                events.append((m.start(), m.end(), int(m.group(1)), _opens_clause(text, m.start()), False))
    date_ends = {d[1] for d in events}
    for s, e, kind in marks:
        if kind == "now" and regex.match(r"至\s*今", text[s:e]):
            # 2019年至今: the period starts with the date before it
            if s in date_ends or s - 1 in date_ends:
                continue
        events.append((s, e, kind, _opens_clause(text, s), True))
    return events


def _year_events(doc: Doc, found, doc_year: int | None, article_year: int | None):
    """The _time_events with the years of the marks filled in: (start, end, year, opens a clause)."""
    years = {"this": doc_year, "last": doc_year - 1 if doc_year else None,
             "article": _review_year(doc, article_year, doc_year), "none": None,
             "now": article_year or doc_year}
    events = [(s, e, years[y] if mark else y, opens) for s, e, y, opens, mark in found]
    events.sort()
    return events


_DIGIT_YEAR = regex.compile(r"\d{4}")


def _lead_year(text: str, paragraphs, events, titled: bool) -> int | None:
    """The lead sentence frames the article: `今年以来，青秀区妇联…` opening it, or, under a title,
    the first year that opens a clause of the lead (`近年来，洛阳市残联…，2023年全市…`)."""
    for s, e in paragraphs:
        block = text[s:e]
        if _is_heading(block) or _SOURCE_LINE.match(block) or _BYLINE.search(block[:12]):
            continue
        head = len(block) - len(block.lstrip())
        stop = _FULL_STOP.search(text, s, e)
        lead_end = stop.end() if stop else e
        for es, ee, year, opens in events[bisect.bisect_left(events, (s,)):]:
            if es >= lead_end:
                break
            if year is None or not opens:
                continue
            relative = not _DIGIT_YEAR.search(text[es:ee])
            if (relative and es <= s + head + 1) or titled:
                return year
            break
        return None
    return None


def _partial_date_year(surface: str, doc: Doc) -> int | None:
    """`1月5日` in a document dated 2024-01-10: the latest such day up to the document date."""
    m = _MONTH_DAY.match(surface)
    d = regex.match(r"(\d{4})-(\d{1,2})", str(doc._.doc_date or ""))
    if not m or not d:
        return None
    year, month = int(d.group(1)), int(d.group(2))
    return year if int(m.group(1)) <= month else year - 1


def _review_year(doc: Doc, article_year: int | None, doc_year: int | None) -> int | None:
    """The year 一年来/这一年/过去一年 look back on: the article's, else the document's; a review
    published in the first quarter looks back on the year before."""
    year = article_year or doc_year
    if year and year == doc_year:
        m = regex.match(r"\d{4}-(\d{1,2})", str(doc._.doc_date or ""))
        if m and int(m.group(1)) <= 3:
            return year - 1
    return year


def build_context(doc: Doc, orig: str | None = None) -> Context:
    orig = doc_text(doc) if orig is None else orig
    text = simplified_doc(orig)
    sents = _sentences(text)
    # the date spans' bounds read once (spaCy builds a new Span, bounds from its tokens, on each read)
    dates = [(sp.start_char, sp.end_char) for sp in doc.spans.get("dates", [])]
    doc_year = _doc_year(doc, text, dates)
    places = _places(doc, orig)
    article_region = _article_region(doc, text, places, sents)
    article_year = _article_year(doc, text)
    paragraphs = _blocks(doc, text)
    found = _time_events(doc, text, dates)
    events = _year_events(doc, found, doc_year, article_year)
    if article_year is None:
        article_year = _lead_year(text, paragraphs, events, bool(doc._.title))
        if article_year is not None:
            events = _year_events(doc, found, doc_year, article_year)
    heading_years: dict[int, int | None] = {}
    current = None
    for i, (s, e) in enumerate(paragraphs):
        block = text[s:e]
        if _is_heading(block):
            m = _YEAR.search(block)
            current = int(m.group(1)) if m and not _MONTH_AFTER.match(block, m.end()) else None
        heading_years[i] = current
    sections = _sections(text, paragraphs, places)
    year_open, last = [], -1
    for i, ev in enumerate(events):
        if ev[3]:
            last = i
        year_open.append(last)
    return Context(text, doc_year, article_region, article_year, paragraphs, [s for s, _ in paragraphs],
                   places, events, sorted({s for s, _ in dates}), heading_years, sections, _starts(places), sents,
                   sent_starts=[s for s, _ in sents], section_starts=[start for start, _ in sections],
                   year_open=year_open)


def _sentence_end(ctx: Context, pos: int) -> int:
    """End of the sentence holding pos, or of the text."""
    k = bisect.bisect_right(ctx.sent_starts, pos) - 1
    if k >= 0 and ctx.sentences[k][0] <= pos < ctx.sentences[k][1]:
        return ctx.sentences[k][1]
    # not found by bisecting (overlapping or unsorted bounds): the first sentence holding pos
    return next((e for s, e in ctx.sentences if s <= pos < e), len(ctx.text))


def _subject_place(text: str, places: list[Place], start: int, end: int, subject_only: bool = False,
                   refine: bool = True) -> Place | None:
    """The first place between start and end that can be what a passage is about; a more specific
    place inside it named later in the same stretch refines it (广东老龄工作通讯 / 顺德区老年人协会…)."""
    books = [(m.start(), m.end()) for m in _BOOK.finditer(text, start, end)]
    found = None
    for p in places[bisect.bisect_left(_starts(places), start):]:
        if p.start >= end:
            break
        if _inside(books, p.start) or _in_list(text, p, places) or text[p.end:p.end + 1] == "级":
            continue
        if found is None:
            if subject_only and not _subject_position(text, p.start):
                continue
            found = _chain(text, places, p)
            if not refine:
                return found
        elif p.path.startswith(found.path + "/"):
            found = _chain(text, places, p)
    return found


_BYLINE = regex.compile(r"^\s*[□■◆●]|记者|通讯员|编辑|供稿|撰稿|作者")
_SOURCE_LINE = regex.compile(r"^\s*[（(][^（）()\n]{2,60}[）)]\s*$")


def _first_subject(text: str, places: list[Place], start: int, end: int, subject_only: bool = True) -> Place | None:
    """The place the opening sentences are about; None when they speak for a whole area first
    (全省…, 省红十字会…): then the part belongs to the article's area."""
    p = _subject_place(text, places, start, end, subject_only=subject_only)
    limit = p.start if p else end
    for _ in _scope_matches(text, places, start, limit):
        return None
    return p


def _sections(text: str, paragraphs, places) -> list[tuple[int, str | None]]:
    """Parts of the article under a heading (`连城 小香菇拓宽“幸福路”`): each is about the place its
    heading names, else the place its first two sentences name, else the article's area (None).
    A closing source line (`（漳州市计生协）`) names the area of the part it closes."""
    out: list[list] = []  # [start, region, named by its heading]
    n = len(paragraphs)
    i = 0
    while i < n:
        s, e = paragraphs[i]
        block = text[s:e]
        if _SOURCE_LINE.match(block):
            p = _subject_place(text, places, s, e)
            if p and out and not out[-1][2]:
                out[-1][1] = _cap_level(p, text)
            out.append([e, None, False])
            i += 1
            continue
        if not _is_heading(block) or _BYLINE.search(block):
            i += 1
            continue
        # a run of heading lines (title, subtitle, byline) is one heading
        j, p = i, None
        while j < n:
            hs, he = paragraphs[j]
            line = text[hs:he]
            if not _is_heading(line) or _SOURCE_LINE.match(line):
                break
            if not _BYLINE.search(line):
                q = _subject_place(text, places, hs, he)
                if q and (p is None or q.path.startswith(p.path + "/")):
                    p = q
            j += 1
        named = p is not None
        if p is None and j < n:
            body = paragraphs[j][0]
            ends = [m.end() for m in _FULL_STOP.finditer(text, body, min(len(text), body + 300))]
            stop = ends[1] if len(ends) > 1 else (ends[0] if ends else min(len(text), body + 120))
            p = _first_subject(text, places, body, stop)
        out.append([s, _cap_level(p, text) if p else None, named])
        i = max(j, i + 1)
    return [(start, region) for start, region, _ in out]


def _para_index(ctx: Context, pos: int) -> int:
    return max(0, bisect.bisect_right(ctx.para_starts, pos) - 1)


# ------------------------------------------------------------------ region
def _level_keys(path: str) -> tuple[str, ...]:
    """The scope level characters a place's name ends with (自治区 counts as 省)."""
    name = path.rsplit("/", 1)[-1]
    if not name:
        return ()
    return (name[-1], "省") if name.endswith("自治区") else (name[-1],)


def _ancestor(path: str | None, level_char: str) -> str | None:
    """The deepest area on path whose name is of that level (ends with 县, 市, ...)."""
    if not path:
        return None
    parts = path.split("/")
    for depth in range(len(parts), 0, -1):
        if level_char in _level_keys(parts[depth - 1]):
            return "/".join(parts[:depth])
    return None


def _scope_path(ctx: Context, level_char: str, recent: dict[str, str], pos: int = 0) -> str | None:
    """全县 -> the county in context: a place of that level named just before, else the area of
    that level the part or article is about, else the last one of that level named in the article
    inside the article's area (全市 in a provincial page's story about 漳州).

    recent: level char -> the last place of that level named before in the passage."""
    if level_char in recent:
        return recent[level_char]
    found = _ancestor(_section_region(ctx, pos), level_char) or _ancestor(ctx.article_region, level_char)
    if found:
        return found
    # the last place before pos inside the article's area with an area of that level: one pass
    # over the places per level char, then a lookup
    table = ctx.scope_fallback.get(level_char)
    if table is None:
        base = ctx.article_region or ""
        table, last = [None], None
        for p in ctx.places:
            if p.path.startswith(base) and (a := _ancestor(p.path, level_char)):
                last = a
            table.append(last)
        ctx.scope_fallback[level_char] = table
    return table[bisect.bisect_left(ctx.place_starts, pos)]


class Places(list):
    """The article's places in text order, with their start offsets for bisecting."""

    def __init__(self, items):
        super().__init__(items)
        self.starts = [p.start for p in self]


def _starts(places: list[Place]) -> list[int]:
    return places.starts if isinstance(places, Places) else [p.start for p in places]


def _scope_matches(text: str, places: list[Place], start: int, end: int):
    """Scope words (全市, 我县, 省红十字会) between start and end that are not part of a place name."""
    starts = _starts(places)
    for pat in (_SCOPE, _ORG_SCOPE):
        for m in pat.finditer(text, start, end):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k >= 0 and places[k].start <= m.start() < places[k].end:
                continue  # the 市 of 南平市红十字会
            yield m, pat is _ORG_SCOPE


def _all_region_events(ctx: Context, fig_starts: list[int] | None = None) -> list[tuple[int, str, str | None, bool]]:
    """Places and scope words of the article that can carry attribution, in order, once per
    article: (start, kind, value, the place opens its clause). Given the figures (sorted starts),
    only those of the stretches their walks read (see _walk_start): over half the places of a
    report stand in paragraphs without a figure. region_of then answers for those figures only."""
    if ctx.region_events is None:
        text = ctx.text
        if fig_starts is None:
            ranges = [(0, len(text))]
        else:
            ranges = []
            sent_end = -1  # the end of the last figure's sentence
            for f in fig_starts:
                if f < sent_end:
                    ranges[-1][1] = f  # the sentence of the last figure: its walk starts before that one
                    continue
                k = bisect.bisect_right(ctx.sent_starts, f) - 1
                sent_end = ctx.sentences[k][1] if k >= 0 else -1
                a = _walk_start(ctx, f, ctx.sentences[k][0] if k >= 0 else 0)
                if ranges and a <= ranges[-1][1]:
                    ranges[-1][1] = max(ranges[-1][1], f)
                else:
                    ranges.append([a, f])
        ctx.guarded, ctx.region_events = [], []
        lines_end = 0
        for a, b in ranges:
            # the guarded spans of the lines the stretch touches (those lines not yet read)
            ls = max(text.rfind("\n", 0, a) + 1, lines_end)
            le = text.find("\n", b)
            lines_end = len(text) if le < 0 else le
            if ls < lines_end:
                ctx.guarded += _guarded(text, ls, lines_end)
            ctx.region_events += [(pos, kind, value, kind == "place" and _subject_position(text, pos))
                                  for pos, kind, value in _region_events(ctx, a, b)]
        ctx.region_event_starts = [ev[0] for ev in ctx.region_events]
    return ctx.region_events


def _region_events(ctx: Context, start: int, end: int):
    """Places and scope words between start and end that can carry attribution, in order.
    (Scope words matched inside the stretch are those of the whole text there: a stretch starts at
    a paragraph or sentence start and ends at a figure's start, which no scope word reaches over.)"""
    text = ctx.text
    out = []
    for p in ctx.places[bisect.bisect_left(ctx.place_starts, start):]:
        if p.start >= end:
            break
        if _inside(ctx.guarded, p.start):
            continue
        if _in_list(text, p, ctx.places):
            if _subject_position(text, p.start):
                out.append((p.start, "list", None))  # 长阳县、秭归县为…: several subjects, none wins
            continue
        if text[max(0, p.start - 2):p.start].endswith(_PARTNER_BEFORE):
            continue
        if text[p.end:p.end + 1] == "级":
            continue  # 福建省级试点项目: an adjective, not the subject
        if _in_chain_tail(text, ctx.places, p):
            continue
        out.append((p.start, "place", _cap_level(_chain(text, ctx.places, p), text)))
    for m, weak in _scope_matches(text, ctx.places, start, end):
        if _inside(ctx.guarded, m.start()):
            continue
        out.append((m.start(), "org" if weak else "scope", m.group(1)))
    out.sort(key=lambda x: x[0])
    return out


_HEAD_FILLER = regex.compile(
    r"(?:(?:19|20)\d\d年(?:以来|来|底|初|末)?|今年(?:以来)?|去年|近年来|多年来|目前|同时|此外|另外|其中|如|例如|"
    r"据了解|据统计|在|由|据|对|为|经过|通过|特别是|以及|和|及|并)+")


def _subject_position(text: str, pos: int) -> bool:
    """A place opening its clause (after time words and prepositions) is the clause's subject."""
    head = _squash(text[_clause_start(text, pos):pos])
    return not head or bool(_HEAD_FILLER.fullmatch(head))


class _RegionState:
    """What the walk over a paragraph's places has seen so far (see region_of)."""
    __slots__ = ("region", "named_here", "recent")

    def __init__(self, region=None, named_here=False, recent=None):
        self.region = region
        self.named_here = named_here  # a place named in this sentence
        self.recent = recent if recent is not None else {}  # level char -> last place of that level

    def copy(self) -> "_RegionState":
        return _RegionState(self.region, self.named_here, dict(self.recent))


def _walk(ctx: Context, st: _RegionState, i: int, end: int, in_sentence: bool) -> int:
    """Apply the region events from index i up to position end to st; returns the next index."""
    events = ctx.region_events
    while i < len(events) and events[i][0] < end:
        pos, kind, value, subject = events[i]
        i += 1
        if not in_sentence and kind == "place" and not subject:
            continue  # from earlier sentences only subjects carry over
        if kind == "list":
            if in_sentence and not st.named_here:
                st.region, st.named_here = None, True  # the sentence's subject is several places
            continue
        if kind == "place":
            for key in _level_keys(value):
                st.recent[key] = value
            st.region = value
            st.named_here = in_sentence
        elif kind == "org" and st.named_here:
            continue  # 沐川县遭灾后，市红十字会向灾区调拨…: the named place keeps the figure
        else:
            st.region = _scope_path(ctx, value, st.recent, pos) or ctx.article_region
    return i


def _walk_start(ctx: Context, fig_start: int, sent_start: int) -> int:
    """Where region_of's walk for a figure starts: its paragraph's start (or its sentence's)."""
    p_start = ctx.paragraphs[_para_index(ctx, fig_start)][0] if ctx.paragraphs else 0
    return min(p_start, sent_start)


def region_of(ctx: Context, fig_start: int, sent_start: int) -> str | None:
    """Walk the paragraph's places and scope words up to the figure (earlier sentences: subjects
    only). Figures come in text order, so the walk resumes where the last figure's stopped: the
    state at the sentence start and at the last figure are kept (linear in the article)."""
    p_start = _walk_start(ctx, fig_start, sent_start)
    _all_region_events(ctx)
    starts = ctx.region_event_starts
    pf = ctx.para_fold
    if pf is not None and pf[0] == p_start and pf[1] <= sent_start:
        i, st = pf[2], pf[3]
    else:
        i, st = bisect.bisect_left(starts, p_start), _RegionState()
    if pf is None or pf[1] != sent_start or pf[0] != p_start:
        i = _walk(ctx, st, i, sent_start, in_sentence=False)
        ctx.para_fold = pf = (p_start, sent_start, i, st)
    sf = ctx.sent_fold
    if sf is not None and sf[:2] == (p_start, sent_start) and sf[2] <= fig_start:
        j, cur = sf[3], sf[4]
    else:
        j, cur = max(pf[2], bisect.bisect_left(starts, sent_start)), pf[3].copy()
    j = _walk(ctx, cur, j, fig_start, in_sentence=True)
    ctx.sent_fold = (p_start, sent_start, fig_start, j, cur)
    return cur.region or _section_region(ctx, fig_start) or ctx.article_region


def _section_region(ctx: Context, pos: int) -> str | None:
    i = bisect.bisect_right(ctx.section_starts, pos) - 1
    return ctx.sections[i][1] if i >= 0 else None


def _code(path: str | None) -> str | None:
    gz = _gazetteer()
    if not path or gz is None:
        return None
    reg = gz.by_path(path)
    return reg.code if reg else None


# ------------------------------------------------------------------ year
def year_of(ctx: Context, fig_start: int, sent_start: int, clause_start: int) -> int | None:
    if _PER_YEAR.search(ctx.text, clause_start, fig_start):
        if _MULTI_YEAR.search(ctx.text, fig_start, _sentence_end(ctx, fig_start)):
            return None
    events = ctx.year_events
    i = bisect.bisect_left(events, (fig_start,)) - 1
    pi = _para_index(ctx, fig_start)
    p_start = ctx.paragraphs[pi][0] if ctx.paragraphs else 0
    if i >= 0:
        if events[i][0] >= sent_start:
            return events[i][2]  # a time expression earlier in the same sentence
        j = ctx.year_open[i]
        if j >= 0 and events[j][0] >= p_start:
            return events[j][2]  # 2022年以来，… governs the rest of its paragraph
    heading = ctx.heading_years.get(pi)
    if heading is not None:
        return heading
    return ctx.article_year


# ------------------------------------------------------------------ cumulative
def _last_mark(ctx: Context, start: int, end: int):
    """The last _CUMULATIVE match inside [start, end): looked up among the article's matches, found
    once; a match across either bound (never at real sentence and figure bounds) rescans."""
    if ctx.cumulative_marks is None:
        ctx.cumulative_marks = list(_CUMULATIVE.finditer(ctx.text))
        ctx.cumulative_starts = [m.start() for m in ctx.cumulative_marks]
    k = bisect.bisect_left(ctx.cumulative_starts, end) - 1
    if k < 0:
        return None
    m = ctx.cumulative_marks[k]
    if m.end() > end or (m.start() < start < m.end()):
        marks = list(_CUMULATIVE.finditer(ctx.text, start, end))
        return marks[-1] if marks else None
    return m if m.start() >= start else None


def _period_starts(ctx: Context, start: int, end: int) -> list[int]:
    """The starts of the time expressions in [start, end) (_TIME's matches, the dates), sorted.
    _TIME is searched there only, not over the whole text: a match across start would have to start
    at the last character of a cumulative mark (今 or 前, ending at the 年 after it: nothing after
    them starts a match), and none reaches into a figure at end (a number, starting its token)."""
    ds = ctx.date_starts
    found = {m.start() for m in _TIME.finditer(ctx.text, start, end)}
    found.update(ds[bisect.bisect_left(ds, start):bisect.bisect_left(ds, end)])
    return sorted(found)


def cumulative_of(ctx: Context, fig_start: int, sent_start: int) -> bool:
    text = ctx.text
    last = _last_mark(ctx, sent_start, fig_start)
    if last is None:
        return False
    if _NOW.fullmatch(last.group()):
        # 目前 (a standing stock now) reaches over its clause, or the next one when it stands alone;
        # a running period (以来, 至今, 累计, 截至) reaches to the end of the sentence
        cut = _CLAUSE_END.search(text, last.end(), fig_start)
        if cut and (_CLAUSE_END.search(text, cut.end(), fig_start) or text[last.end():cut.start()].strip()):
            return False
    # a new period after the marker ends the running total; a date right after 截至 belongs to it
    for t in _period_starts(ctx, last.end(), fig_start):
        if _JIEZHI.fullmatch(last.group()) and not text[last.end():t].strip():
            continue
        if _YEAR_SINCE.match(text, t, t + 12):
            # 2022年以来 after the marker: itself a start of a running period
            return True
        return False
    return True


# ------------------------------------------------------------------ metric
def _squash(s: str) -> str:
    return _SPACE.sub("", s) if _SPACE_1.search(s) else s


# an organisation: a word ending with one of these (jieba's words never end with a line break)
_ORG_WORD = ("红十字会", "十字会", "妇联", "计生协会", "计生协", "协会", "总会", "民政局", "民政厅", "卫健委", "残联",
             "政府", "委员会", "团委", "工会", "办公室", "部门", "妇女联合会")


def _drop_subject(ws: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`红十字会全年举办救护员培训班` -> `全年举办救护员培训班`: the organisation is the subject."""
    for i, (w, t) in enumerate(ws):
        if t == "v" and i > 0:
            break
        if t != "v" and w.endswith(_ORG_WORD):
            nxt = ws[i + 1] if i + 1 < len(ws) else None
            if nxt and (nxt[1].startswith(("n", "j")) or nxt[1] == "n?") and nxt[0] not in LEAD_WORDS:
                return ws  # 红十字会员学校: part of a name, not the subject
            return ws[i + 1:]
    return ws


def _trim(ws: list[tuple[str, str]]) -> list[tuple[str, str]]:
    ws = _lead_trim(ws)
    dropped = _drop_subject(ws)
    if dropped is not ws and dropped:
        ws = _lead_trim(dropped)
    return _tail_trim(ws)


def _lead_trim(ws: list[tuple[str, str]]) -> list[tuple[str, str]]:
    while ws and (ws[0][1] in LEAD_TAGS or ws[0][0] in LEAD_WORDS or ws[0][0] in "、，," or _per_word(ws[0][0])):
        if ws[0][0] in ("“", "《") and any(w in ("”", "》") for w, _ in ws[1:]):
            break  # an opening quote whose name follows stays: “小巨人”企业
        ws = ws[1:]
    return ws


def _tail_trim(ws: list[tuple[str, str]]) -> list[tuple[str, str]]:
    while ws and (_per_word(ws[-1][0]) or ws[-1][1] in TRAIL_TAGS or ws[-1][0] in TRAIL_WORDS or ws[-1][0] in CHANGE_VERBS):
        if ws[-1][0].endswith(("》", "”")):
            break
        ws = ws[:-1]
    return ws


FUNCTION_TAGS = ("p", "c", "u", "d", "r", "m", "q", "f", "x")


def _noun_phrase(ws: list[tuple[str, str]]) -> str:
    """The noun phrase at the start of a word list (a 《title》 or “name” counts as a noun).

    Single characters go in whatever their tag (jieba splits words it does not know, 失独 -> 失/独);
    a verb of two or more characters or a function word ends the phrase.
    """
    out = []
    quote = None
    for w, t in ws:
        if quote:
            out.append(w)
            if w in ("》", "”", '"'):
                quote = None
            continue
        if w in ("《", "“"):
            quote = w
            out.append(w)
            continue
        if t.startswith(NOUN_TAGS) or t == "n?":
            out.append(w)
            continue
        if len(w) == 1 and _HAN.match(w) and not t.startswith(FUNCTION_TAGS):
            out.append(w)
            continue
        break
    while out and out[-1] in ("《", "“"):
        out.pop()
    if not any(t.startswith(NOUN_TAGS) or t == "n?" or w in ("》", "”") for w, t in ws[:len(out)]):
        return ""  # single characters alone (能/出) are no noun phrase
    return "".join(out)


def _shorten(ws: list[tuple[str, str]]) -> str:
    """A long phrase keeps its verb and what follows the last 等 / 的 (the head of the phrase)."""
    label = "".join(w for w, _ in ws)
    if len(label) <= _LABEL_MAX:
        return label
    for cut in ("等", "的"):
        idx = [i for i, (w, _) in enumerate(ws) if w == cut]
        if idx and idx[-1] < len(ws) - 1:
            head = "".join(w for w, _ in ws[idx[-1] + 1:])
            verb = next((w for w, t in ws[:idx[-1]] if t == "v" and len(w) > 1), "")
            label = (verb + "…" if verb else "") + head
            if len(label) <= _LABEL_MAX + 4:
                return label
    return label[-_LABEL_MAX:]


def _has_noun(ws) -> bool:
    return any(t.startswith(("n", "j", "l", "nz")) and t != "nr" for _, t in ws) or \
        any(w.endswith(("》", "”")) for w, _ in ws)


def _after_subject_place(ctx: Context, start: int, end: int) -> int:
    """Where the metric words begin: after a place that opens the clause (周口市郸城县依托…)."""
    k = bisect.bisect_left(ctx.place_starts, start)
    if k < len(ctx.places):
        p = ctx.places[k]
        if p.start < end and _subject_position(ctx.text, p.start):
            last = _chain(ctx.text, ctx.places, p)
            if last.end < end:
                return last.end
    return start


_PER_WORD = regex.compile(r"(?:每(?:人|户|年|月|天|日|周|次|名|个|餐))+$")  # 每人每年: the rate's denominator


def _per_word(w: str) -> bool:
    return w[:1] == "每" and _PER_WORD.match(w) is not None  # most words fail on the first character
_LEAD_SCOPE = regex.compile(r"^(?:(?:[全我本][省市县区州盟旗镇乡])|各级|各地)+")
_COMPARISON = regex.compile(r"(?:较|比|同比|环比)(?:上年|去年|上一年|上年同期|去年同期)?(?:分别)?"
                           r"(?:提高|增长|增加|下降|减少|上升|降低|提升)?了?")
_AGE_AHEAD = regex.compile(r"^\d+(?:周)?岁(?:及以上|以上|以下)?(?=\D)")


def _cut_listed_verb(pre: str) -> str:
    """`…专家库”、成立有`: after an enumeration comma a new verb starts the phrase."""
    i = pre.rfind("、")
    if i >= 0 and i + 1 < len(pre):
        ws = words(pre[i + 1:])
        if ws and ws[0][1] == "v" and len(ws[0][0]) > 1:
            return pre[i + 1:]
    return pre


def _mark_word(c: str) -> bool:
    """A punctuation mark jieba keeps apart (、 but not the . or % of its blocks): cut as a word of
    its own and tagged x, so a text starting with it starts with neither a verb nor a noun."""
    return _PUNCT.match(c) is not None and jieba_words.blocks()[0].match(c) is None


def metric_of(ctx: Context, orig: str, start: int, end: int, kind: str | None, unit: str | None,
              clause_start: int, clause_end: int, post_end: int, previous: str | None) -> str | None:
    """A short label for what the figure at [start, end) measures, cut from the original text
    (see module doc)."""
    text = ctx.text
    clause_start = _after_subject_place(ctx, clause_start, start)
    pre = _LEAD_SCOPE.sub("", _cut_listed_verb(_squash(text[clause_start:start])))
    if _COMPARISON.fullmatch(pre):
        # 较上年增长12% / 同比提高3.1个百分点: a change of the measure before it (no words needed)
        return _original(f"{previous}…{pre}" if previous else pre, text, orig, clause_start, end)
    pre_words = _trim(words(pre)) if pre else []
    label = _shorten(pre_words) if pre_words else ""
    if label in CHANGE_VERBS:
        label = ""  # 从5000元提高到8000元: the second figure measures what the first did
    elif len(label) < 2:
        # 每餐只收5元: a one-character verb keeps the words around it
        single_verb = len(pre_words) == 1 and pre_words[0][1] == "v"
        label = pre if single_verb and 2 <= len(pre) <= 8 else ""
    post = _AGE_AHEAD.sub("", _squash(text[end:post_end])) or \
        _AGE_AHEAD.sub("", _squash(text[end:clause_end]))
    is_count = kind in ("count", None) and unit not in ("元", "%")
    # the words after are read only for a count or after 的: skip jieba otherwise, and when they
    # start with a mark (`培训120人、…`) no branch below takes (only 《 and “ open a noun phrase)
    read_post = post and (is_count or post[0] == "的") and (post[0] in "《“" or not _mark_word(post[0]))
    post_words = words(post[:24]) if read_post else []
    ends_verb = bool(pre_words) and pre_words[-1][1].startswith("v")
    np = ""
    if post_words:
        if post_words[0][0] == "的" and (ends_verb or not _has_noun(pre_words)):
            np = "".join(_trailing_nouns(post_words[1:]))  # 赠送600元的计生特殊家庭综合关爱保险
        elif is_count and len(post_words) > 2 and post_words[0][1] == "v" and post_words[1][0] == "的":
            np = _noun_phrase(post_words[2:])  # 1.8万人参加的志愿服务大队
        elif is_count:
            np = _noun_phrase(post_words)      # 救扶247名女性
    if label and np:
        label = f"{label}…{np}"
    elif not label:
        rest = _squash(text[end:clause_end])
        if np:
            label = np
        elif rest and not _mark_word(rest[0]) and words(rest[:8])[0][1] == "v":
            label = rest[:_LABEL_MAX]  # the count is the subject: 3458人取得相关资质证明
        elif previous:
            label = previous           # 每户6000元 / 97场2129人次: same measure as the one before
        else:
            label = _lone_figure_label(text, start, end)
    elif not _has_noun(pre_words) and not is_count:
        # 投入285万元为…购买住院护理补贴保险: a bare money verb takes the object of its purpose
        tail = _squash(text[end:clause_end])
        nouns = _trailing_nouns(words(tail[:30])) if tail else []
        if nouns:
            label = f"{label}…{''.join(nouns)}"
    if not label:
        return None
    return _original(label, text, orig, clause_start, max(clause_end, end + len(label) + 40))


def _lone_figure_label(text: str, start: int, end: int) -> str:
    """A figure standing alone as a headline takes the headline under it (`2300万元` / `省级…资金`)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:line_end].strip() != text[start:end].strip():
        return ""
    m = regex.match(r"\s*([^\n。；;！？]{2,40})", text[line_end:])
    return _shorten(_trim(words(_squash(m.group(1))))) if m else ""


def _trailing_nouns(ws):
    """The noun phrase that ends a word list (购买两癌保险 -> 两癌保险)."""
    out = []
    for w, t in reversed(ws):
        if t == "x" or t.startswith(("p", "c", "u", "d", "r")) or (t == "v" and len(w) > 1):
            break
        out.insert(0, w)
    while out and (out[0] in ("》", "”") or not _HEAD_CHAR.match(out[0])):
        out.pop(0)
    return out


def _original(label: str, stext: str, orig: str, start: int, end: int) -> str:
    """The label in the document's own characters (traditional stays traditional)."""
    if stext is orig or stext == orig:
        return label
    sq_s, sq_o = _squash(stext[start:end]), _squash(orig[start:end])
    if len(sq_s) != len(sq_o):
        return label
    parts = []
    for piece in label.split("…"):
        i = sq_s.find(piece) if piece else -1
        parts.append(sq_o[i:i + len(piece)] if i >= 0 else piece)
    return "…".join(parts)


def _respective(ctx: Context, fig_starts: list[int]) -> dict[int, str]:
    """`孝丰镇、梅溪镇分别募集41万元和38.5万元`: the i-th figure after 分别 goes to the i-th place."""
    out: dict[int, str] = {}
    text = ctx.text
    for m in _RESPECTIVELY.finditer(text):
        cs = _clause_start(text, m.start())
        # the places between the clause start and 分别 (sorted: two bisects, not a pass over the rest)
        before = ctx.places[bisect.bisect_left(ctx.place_starts, cs):bisect.bisect_left(ctx.place_starts, m.start())]
        listed = [p for p in before if not _in_chain_tail(text, ctx.places, p)]
        if len(listed) < 2 or not all(_in_list(text, p, ctx.places) for p in listed):
            continue
        sent_end = _sentence_end(ctx, m.start())
        k = bisect.bisect_left(fig_starts, m.end())
        after = list(range(k, bisect.bisect_left(fig_starts, sent_end)))[:len(listed)]
        if len(after) == len(listed):
            for i, p in zip(after, listed):
                out[i] = _cap_level(_chain(text, ctx.places, p), text)
    return out


# ------------------------------------------------------------------ the component
@Language.component("zh_attribute")
def zh_attribute(doc: Doc) -> Doc:
    # the figures' bounds read once (spaCy builds a new Span on every access), in text order
    bounds = sorted(((sp.start_char, sp.end_char) for sp in doc.spans.get("figures", [])), key=lambda b: b[0])
    orig = doc_text(doc)
    ctx = build_context(doc, orig)
    doc._.article_region = ctx.article_region
    doc._.article_year = ctx.article_year
    text = ctx.text
    prev_end, prev_sent, prev_label = -1, None, None
    sents = ctx.sentences
    sent_starts = [st for st, _ in sents]
    fig_starts = [start for start, _ in bounds]
    respective = _respective(ctx, fig_starts)
    _all_region_events(ctx, fig_starts)
    for i, (start, end) in enumerate(bounds):
        k = bisect.bisect_right(sent_starts, start) - 1
        s0, s_end = sents[k] if k >= 0 else (0, len(text))
        s_end = max(s_end, end)
        own_clause = _clause_start(text, start, s0)
        clause_start = own_clause
        if prev_sent == s0 and prev_end > clause_start:
            clause_start = prev_end
        m = _CLAUSE_END.search(text, end, s_end)
        clause_end = m.start() if m else max(s_end, end)
        post_end = clause_end
        if i + 1 < len(bounds) and fig_starts[i + 1] < post_end:
            post_end = fig_starts[i + 1]

        region = respective.get(i) or region_of(ctx, start, s0)
        kind, unit = span_extension(doc, start, end, "kind"), span_extension(doc, start, end, "unit")
        year = year_of(ctx, start, s0, own_clause)
        cumulative = cumulative_of(ctx, start, s0)
        same_stretch = prev_end >= 0 and not _SENT_STOP.search(text, prev_end, start)
        label = metric_of(ctx, orig, start, end, kind, unit, clause_start, clause_end, post_end,
                          prev_label if same_stretch else None)
        set_span_extensions(doc, start, end, {
            "region": region, "region_code": _code(region), "year": year, "cumulative": cumulative,
            "metric": label, "category": category_of(label, kind, unit, text[own_clause:start])})
        prev_end, prev_sent, prev_label = end, s0, label
    return doc

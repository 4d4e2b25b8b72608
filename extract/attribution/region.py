"""region_of: the region a figure belongs to (see the package doc), and the `A、B分别…X和Y` mapping."""
from __future__ import annotations

import bisect

import regex

from .clauses import clause_start, guarded, inside, squash, subject_position
from .context import Context, cap_level, chain, in_chain_tail, in_list, para_index, scope_matches, sentence_end
from .lexicon import Lexicon


def _level_keys(lx: Lexicon, path: str) -> tuple[str, ...]:
    """The scope level characters a place's name ends with (自治区 counts as 省)."""
    name = path.rsplit("/", 1)[-1]
    if not name:
        return ()
    if name.endswith(lx.level_alias_suffixes):
        return (name[-1],) + tuple(lv for suffix, lv in lx.level_aliases if name.endswith(suffix))
    return (name[-1],)


def _ancestor(lx: Lexicon, path: str | None, level_char: str) -> str | None:
    """The deepest area on path whose name is of that level (ends with 县, 市, ...)."""
    if not path:
        return None
    parts = path.split("/")
    for depth in range(len(parts), 0, -1):
        if level_char in _level_keys(lx, parts[depth - 1]):
            return "/".join(parts[:depth])
    return None


def _scope_path(ctx: Context, level_char: str, recent: dict[str, str], pos: int = 0) -> str | None:
    """全县 -> the county in context: a place of that level named just before, else the area of
    that level the part or article is about, else the last one of that level named in the article
    inside the article's area (全市 in a provincial page's story about 漳州).

    recent: level char -> the last place of that level named before in the passage."""
    if level_char in recent:
        return recent[level_char]
    lx = ctx.lx
    found = _ancestor(lx, _section_region(ctx, pos), level_char) or _ancestor(lx, ctx.article_region, level_char)
    if found:
        return found
    # the last place before pos inside the article's area with an area of that level: one pass
    # over the places per level char, then a lookup
    table = ctx.scope_fallback.get(level_char)
    if table is None:
        base = ctx.article_region or ""
        table, last = [None], None
        for p in ctx.places:
            if p.path.startswith(base) and (a := _ancestor(lx, p.path, level_char)):
                last = a
            table.append(last)
        ctx.scope_fallback[level_char] = table
    return table[bisect.bisect_left(ctx.place_starts, pos)]


def all_region_events(ctx: Context, fig_starts: list[int] | None = None) -> list[tuple[int, str, str | None, bool]]:
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
        lx = ctx.lx
        for a, b in ranges:
            # the guarded spans of the lines the stretch touches (those lines not yet read)
            ls = max(text.rfind("\n", 0, a) + 1, lines_end)
            le = text.find("\n", b)
            lines_end = len(text) if le < 0 else le
            if ls < lines_end:
                ctx.guarded += guarded(text, ls, lines_end)
            ctx.region_events += [(pos, kind, value, kind in ("place", "scope", "org", "list")
                                   and subject_position(lx, text, pos))
                                  for pos, kind, value in _region_events(ctx, a, b)]
        ctx.region_event_starts = [ev[0] for ev in ctx.region_events]
    return ctx.region_events


def _region_events(ctx: Context, start: int, end: int):
    """Places and scope words between start and end that can carry attribution, in order.
    (Scope words matched inside the stretch are those of the whole text there: a stretch starts at
    a paragraph or sentence start and ends at a figure's start, which no scope word reaches over.)"""
    text, lx, gz = ctx.text, ctx.lx, ctx.gazetteer
    out = []
    for p in ctx.places[bisect.bisect_left(ctx.place_starts, start):]:
        if p.start >= end:
            break
        if inside(ctx.guarded, p.start):
            continue
        if _not_subject(ctx, p):
            continue
        if in_list(lx, text, p, ctx.places):
            if subject_position(lx, text, p.start):
                # 东湖区、西湖区和青山湖区共12户: several subjects, their lowest common area
                out.append((p.start, "list", _list_area(ctx, p)))
            continue
        if text[max(0, p.start - 2):p.start].endswith(lx.partner_before):
            continue
        if text[p.end:p.end + 1] in lx.adjective_after:
            continue  # 福建省级试点项目: an adjective, not the subject
        if in_chain_tail(text, ctx.places, p):
            continue
        deepest = chain(text, ctx.places, p)
        if lx.org_after.match(text, deepest.end) and not (
                ctx.article_region and deepest.path.startswith(ctx.article_region + "/")):
            continue  # 上海华侨基金会, 浙江某服饰公司: a body from outside or above gives, it does not take
        out.append((p.start, "place", cap_level(deepest, text, gz)))
    for m, weak in scope_matches(lx, text, ctx.places, start, end):
        if inside(ctx.guarded, m.start()):
            continue
        if lx.benchmark_before.search(text, max(0, m.start() - 4), m.start()) or lx.benchmark_after.match(text, m.end()):
            continue  # 高于全省, 居全省第3位, 获评全省…: the area compared with, not the subject
        out.append((m.start(), "org" if weak else "scope", m.group(1)))
    for m in lx.anaphor.finditer(text, start, end):
        if not inside(ctx.guarded, m.start()):
            out.append((m.start(), "anaphor", lx.anaphors.get(squash(m.group()), "")))
    out.sort(key=lambda x: x[0])
    return out


def _not_subject(ctx: Context, p) -> bool:
    """A place that receives (向汶川、玉树灾区), is left out (不含三沙市), is a venue (在塘桥社区启动) or
    a benchmark (高于福建省平均): it does not take the figure."""
    text, lx = ctx.text, ctx.lx
    cs = clause_start(text, p.start)
    head = text[cs:p.start]
    for w in lx.recipient_before:
        k = head.rfind(w)
        if k >= 0 and len(head) - k - len(w) <= 12:
            rest = head[k + len(w):]
            # the place right after the word, or one of a list begun there
            if not rest.strip() or (rest.rstrip().endswith(tuple(lx.list_before) + tuple(lx.list_joiners))
                                    and not any(c in rest for c in "，,。；;")):
                return True
    if lx.exclusion_re.search(text, max(0, p.start - 4), p.start):
        return True
    if head.rstrip().endswith(lx.venue_before) or regex.search(r"在\s*$", head):
        tail = text[p.end:p.end + lx.venue_window]
        m = lx.venue_verbs.search(tail)
        if m and not any(c in tail[:m.start()] for c in "，,。；;！？") and not _referred_back(ctx, p):
            return True
    if lx.benchmark_before.search(text, max(0, p.start - 4), p.start) and lx.benchmark_after.match(text, p.end):
        return True
    return False


def _referred_back(ctx: Context, p) -> bool:
    """The sentence goes on about the venue (在廖家桥镇举行…，用于该镇…): it is the subject after all."""
    text = ctx.text
    stop = regex.compile(r"[。！？!?]").search(text, p.end)
    for m in ctx.lx.anaphor.finditer(text, p.end, stop.start() if stop else len(text)):
        level = ctx.lx.anaphors.get(squash(m.group()), "")
        if level and p.path.endswith(level):
            return True
    return False


def _list_area(ctx: Context, p) -> str | None:
    """The lowest common area of the places listed from p on (joined by 、 和 及, at most 3 apart)."""
    text, places, lx = ctx.text, ctx.places, ctx.lx
    paths = [cap_level(chain(text, places, p), text, ctx.gazetteer)]
    i = p.i
    while i + 1 < len(places):
        q = places[i + 1]
        gap = text[places[i].end:q.start]
        if in_chain_tail(text, places, q):
            i += 1
            paths[-1] = cap_level(chain(text, places, q), text, ctx.gazetteer)
            continue
        if not (0 < len(gap) <= 3 and gap.strip()[:1] in lx.list_joiners):
            break
        paths.append(cap_level(chain(text, places, q), text, ctx.gazetteer))
        i += 1
    common = paths[0].split("/")
    for path in paths[1:]:
        parts = path.split("/")
        n = 0
        while n < min(len(common), len(parts)) and common[n] == parts[n]:
            n += 1
        common = common[:n]
    return "/".join(common) or None


class _RegionState:
    """What the walk over a paragraph's places has seen so far (see region_of)."""
    __slots__ = ("region", "named_here", "recent", "here", "last_place")

    def __init__(self, region=None, named_here=False, recent=None, here=False, last_place=None):
        self.region = region
        self.named_here = named_here  # a place named in this sentence
        self.recent = recent if recent is not None else {}  # level char -> last place of that level
        self.here = here  # region set in this sentence (else carried from an earlier one)
        self.last_place = last_place  # the last place named (for 当地)

    def copy(self) -> "_RegionState":
        return _RegionState(self.region, self.named_here, dict(self.recent), False, self.last_place)


def _walk(ctx: Context, st: _RegionState, i: int, end: int, in_sentence: bool) -> int:
    """Apply the region events from index i up to position end to st; returns the next index."""
    events = ctx.region_events
    area = ctx.article_region
    while i < len(events) and events[i][0] < end:
        pos, kind, value, subject = events[i]
        i += 1
        if kind == "anaphor":
            # 该镇, 当地, 镇计生协: the place of that level named before in the paragraph
            found = st.recent.get(value) if value else st.last_place
            if found and in_sentence:  # (it refers back for its own sentence only)
                st.region, st.here = found, True
            continue
        if not in_sentence and kind != "place" and not subject:
            continue  # from earlier sentences only subjects carry over
        if kind == "list":
            if in_sentence and not st.named_here:
                st.region, st.named_here, st.here = value, True, True  # several places: their common area
            continue
        if kind == "place":
            for key in _level_keys(ctx.lx, value):
                st.recent[key] = value
            st.last_place = value
            if not in_sentence and (not subject or (area and value.startswith(area + "/")
                                                    and not _heads_paragraph(ctx, pos))):
                # 沈阳…。空气质量…: a place inside the article's area carries over only when it opens
                # the paragraph (the paragraph is about it) or a later sentence refers back to it
                continue
            st.region = value
            st.named_here = st.here = in_sentence
        elif kind == "org" and st.named_here:
            continue  # 沐川县遭灾后，市红十字会向灾区调拨…: the named place keeps the figure
        else:
            path = _scope_path(ctx, value, st.recent, pos) or area
            here = st.region or _section_region(ctx, pos) or area
            if in_sentence and not subject and path and here and here.startswith(path + "/"):
                continue  # 参加…全省展销: a wider area named in passing does not lift the figure
            st.region, st.here = path, in_sentence
    return i


def _heads_paragraph(ctx: Context, pos: int) -> bool:
    """The place at pos opens its paragraph (after time words, 【…】 tags and prepositions)."""
    p_start = ctx.paragraphs[para_index(ctx, pos)][0] if ctx.paragraphs else 0
    head = _OPEN_TAG.sub("", squash(ctx.text[p_start:pos]))
    return not head or bool(ctx.lx.head_filler.fullmatch(head))


_OPEN_TAG = regex.compile(r"^(?:【[^】]{0,30}】|[“‘「『\"])+")


def _walk_start(ctx: Context, fig_start: int, sent_start: int) -> int:
    """Where region_of's walk for a figure starts: its paragraph's start (or its sentence's)."""
    p_start = ctx.paragraphs[para_index(ctx, fig_start)][0] if ctx.paragraphs else 0
    return min(p_start, sent_start)


def region_of(ctx: Context, fig_start: int, sent_start: int) -> tuple[str | None, str | None]:
    """The figure's region and how it was decided (sentence, carried, heading, document, metadata).
    Walk the paragraph's places and scope words up to the figure (earlier sentences: subjects
    only). Figures come in text order, so the walk resumes where the last figure's stopped: the
    state at the sentence start and at the last figure are kept (linear in the article)."""
    p_start = _walk_start(ctx, fig_start, sent_start)
    all_region_events(ctx)
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
    if cur.region:
        return cur.region, "sentence" if cur.here else "carried"
    section = _section_region(ctx, fig_start)
    if section:
        return section, "heading"
    return ctx.article_region, ctx.article_region_source if ctx.article_region else None


def _section_region(ctx: Context, pos: int) -> str | None:
    i = bisect.bisect_right(ctx.section_starts, pos) - 1
    return ctx.sections[i][1] if i >= 0 else None


def region_code(ctx: Context, path: str | None) -> str | None:
    """The gazetteer code of a region path, or None."""
    gz = ctx.gazetteer
    if not path or gz is None:
        return None
    reg = gz.by_path(path)
    return reg.code if reg else None


def respective(ctx: Context, fig_starts: list[int]) -> dict[int, str]:
    """`孝丰镇、梅溪镇分别募集41万元和38.5万元`: the i-th figure after 分别 goes to the i-th place."""
    out: dict[int, str] = {}
    text, lx = ctx.text, ctx.lx
    for m in lx.respectively.finditer(text):
        cs = clause_start(text, m.start())
        # the places between the clause start and 分别 (sorted: two bisects, not a pass over the rest)
        before = ctx.places[bisect.bisect_left(ctx.place_starts, cs):bisect.bisect_left(ctx.place_starts, m.start())]
        listed = [p for p in before if not in_chain_tail(text, ctx.places, p)]
        if len(listed) < 2 or not all(in_list(lx, text, p, ctx.places) for p in listed):
            continue
        sent_end = sentence_end(ctx, m.start())
        k = bisect.bisect_left(fig_starts, m.end())
        after = list(range(k, bisect.bisect_left(fig_starts, sent_end)))[:len(listed)]
        if len(after) == len(listed):
            for i, p in zip(after, listed):
                out[i] = cap_level(chain(text, ctx.places, p), text, ctx.gazetteer)
    return out

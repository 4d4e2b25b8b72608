"""The attribution rules compiled from patterns/attribution.toml: the regular expressions' structure
is here, the words inside them come from the data file. One Lexicon per component (the pipeline's
zh_attribute builds it); default_lexicon() serves callers without one (tests, build_context(doc))."""
from __future__ import annotations

from functools import lru_cache

import regex

from ..text import rules
from ..text.regextools import alt

# Clause and sentence bounds are punctuation, not words: they stay here.
CLAUSE_END = "，,；;。！？!?：:（(）)\n"
NUMERALS = "一二两三四五六七八九十"


def spaced(words) -> str:
    """An alternation of words each matched with \\s* between its characters (the source may split
    a word with spaces or line breaks), longest first so 本年度 wins over 本年."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(r"\s*".join(regex.escape(c) for c in w) for w in ordered)


def _chars(words) -> str:
    return "[" + regex.escape("".join(words)) + "]"


def _join(words) -> str:
    return "|".join(regex.escape(w) for w in words)


class Lexicon:
    """Compiled rules and word sets of attribution, from the data of patterns/attribution.toml."""

    def __init__(self, data: dict):
        cu, ti, ye, sc, re_, me = (data[k] for k in ("cumulative", "time", "year", "scope", "region", "metric"))
        # cumulative
        self.cumulative = regex.compile(spaced(cu["marks"]))
        self.now = regex.compile(spaced(cu["now"]))
        self.until = regex.compile(spaced(cu["until"]))
        self.year_since = regex.compile(rf"[\d〇零{NUMERALS}]*\s*年\s*(?:{spaced(cu['since'])})")
        self.single_year = regex.compile(rf"(?:{spaced(cu['single_year'])})\s*$")
        self.this_year = regex.compile(spaced(cu["this_year"]))
        self.duration_before = regex.compile(rf"(?:{spaced(cu['duration_before'])})\s*$")
        self.breakdown = regex.compile(rf"\s*(?:{spaced(cu['breakdown'])})")
        self.targets = regex.compile(spaced(cu["targets"]))
        self.not_targets = regex.compile(spaced(cu["not_targets"]))
        self.verb_tags = tuple(cu["verb_tags"])
        self.rate_units = frozenset(cu["rate_units"])
        self.rate_change = regex.compile(spaced(cu["rate_change_verbs"]))
        self.ratio_marks = regex.compile(spaced(cu["ratio_marks"]))
        self.not_after_mark = regex.compile(rf"\s*(?:{spaced(cu['not_after'])})")
        self.time = regex.compile(r"(?:19|20)\d\d\s*年|" + spaced(ti["period"]))
        # year
        compared = rf"\s*(?:{alt(ye['compared_after'])})|\s*的\s*[\d{NUMERALS}百千]"
        self.compared = regex.compile(compared)
        self.compared_before = tuple(ye["compared_before"])
        self.year_marks = regex.compile(
            rf"(?P<this>{spaced(ye['this'])})"
            rf"|(?<!{_chars(ye['compared_before'])})(?P<last>{spaced(ye['last'])})(?!{compared})"
            rf"|(?P<article>{spaced(ye['review'])})|(?P<now>{spaced(ye['now'])})|(?P<none>{spaced(ye['none'])})")
        self.from_date = regex.compile(spaced(ye["from_date"]))
        self.bare_foreign_levels = frozenset(data["region"]["bare_foreign_levels"])
        self.word_list_marks = tuple(data["region"]["word_list_marks"])
        self.aside_open, self.aside_close = "".join(ye["aside_open"]), "".join(ye["aside_close"])
        self.clause_bound = regex.compile(spaced([w for k in ye["clause_bound"] for w in ye[k]]))
        self.per_year = regex.compile(spaced(ye["per_year"]))
        self.multi_year = regex.compile(rf"{_join(ye['multi_year'])}|[{NUMERALS}\d]\s*年(?!{_chars(ye['year_suffixes'])})")
        self.clause_openers = frozenset(ye["clause_openers"])
        self.compared_with = tuple(ye["compared_with"])
        self.compared_with_after = regex.compile(rf"\s*度?\s*(?:{spaced(ye['compared_with_after'])})")
        self.from_to = regex.compile(rf"(?:{_join(ye['from_to'])})\s*$")
        self.part_of_year = frozenset(ye["part_of_year"])
        self.deadline_openers = frozenset(ye["deadline_openers"])
        count = rf"[\d{NUMERALS}百]+个?"
        self.duration = regex.compile(
            rf"{count}(?:{_join(ye['duration_units'])})半?(?:{_join(ye['duration_after'])})"
            rf"|(?:{_join(ye['short_before'])})?{count}(?:{_join(ye['short_units'])})(?:{_join(ye['short_after'])})?")
        # a stretch of several years: “十四五”时期, 五年来, 过去五年, 2021—2025年 (一年来 is one year)
        n = rf"(?:[{NUMERALS.replace('一', '')}]{{1,3}}|(?<!\d)\d{{1,2}}(?!\d))"
        plans = rf"[“\"‘]?(?:{_join(ye['plans'])})[”\"’]?"
        period = (rf"{plans}\s*(?:{_join(ye['plan_after'])})?|(?:{_join(ye['span_before'])})\s*{n}\s*年"
                  rf"|{n}\s*年\s*(?:{_join(ye['span_after'])})|\d{{4}}\s*年?\s*[—–\-~～至到]\s*\d{{4}}\s*年")
        self.period_word = regex.compile(period)
        self.period_head = regex.compile(rf"(?:【[^】]{{0,30}}】)?(?:{_join(ye['clause_openers'])})?(?:{period})")
        self.review_heading = regex.compile(_join(ye["review_headings"]))
        self.this_heading = regex.compile(_join(ye["this_headings"]))
        # scope words
        self.scope = regex.compile(
            rf"(?:{_join(sc['prefixes'])})\s*({_join(sc['levels'])})(?!\s*(?:{_join(sc['not_after'])}))")
        self.org_scope = regex.compile(rf"({_join(sc['org_levels'])})(?=\s*(?:{_join(sc['organisations'])}))")
        self.level_aliases = tuple(sc["level_aliases"].items())
        self.level_alias_suffixes = tuple(suffix for suffix, _ in self.level_aliases)
        self.lead_scope = regex.compile(
            rf"^(?:(?:{_chars(sc['prefixes'])}{_chars(sc['levels'])})|{_join(sc['label_lead'])})+")
        # region
        for key in ("partner_before", "adjective_after", "list_joiners", "list_before", "examples"):
            setattr(self, key, tuple(re_[key]))  # for str.endswith and `in`
        self.respectively = regex.compile(spaced(re_["respectively"]))
        for key in ("recipient_before", "exclusion_before", "venue_before", "issuer_levels"):
            setattr(self, key, tuple(re_[key]))
        self.org_after = regex.compile(rf"\s*\p{{Han}}{{0,12}}?(?:{_join(sorted(re_['org_suffixes'], key=len, reverse=True))})")
        self.benchmark_before = regex.compile(rf"(?:{_join(re_['benchmark_before'])})\s*$")
        self.benchmark_after = regex.compile(rf"\s*(?:{_join(re_['benchmark_after'])}|[{NUMERALS}\d]+强)")
        self.exclusion_re = regex.compile(rf"(?:{_join(re_['exclusion_before'])})\s*$")
        self.venue_verbs = regex.compile(_join(re_["venue_verbs"]))
        self.venue_window = re_["venue_window"]
        self.anaphors = dict(re_["anaphors"])
        self.anaphor = regex.compile(rf"(?<![乡城])(?:{spaced(self.anaphors)})")
        self.medium = regex.compile(rf"\p{{Han}}{{0,4}}?(?:{_join(sorted(re_['medium_words'], key=len, reverse=True))})")
        self.issuer = regex.compile(
            rf"(?:(?:{_join(sc['prefixes'])})\s*|(?<!\p{{Han}}))({_join(sorted(re_['issuer_levels'], key=len, reverse=True))})"
            rf"(?:{_join(sorted(re_['issuer_bodies'], key=len, reverse=True))})?")
        self.head_filler = regex.compile(
            rf"(?:(?:19|20)\d\d年(?:{alt(re_['head_year_after'])})?|{alt(re_['head_filler'])})+")
        self.byline = regex.compile(rf"^\s*{_chars(re_['byline_marks'])}|{_join(re_['byline'])}")
        # metric: word sets (membership) and tag prefixes (str.startswith takes a tuple)
        for key in ("lead_tags", "lead_words", "trail_tags", "trail_words", "change_verbs"):
            setattr(self, key, frozenset(me[key]))
        for key in ("noun_tags", "function_tags", "has_noun_tags", "trailing_stop_tags", "name_part_tags",
                    "subject_organisations", "head_cuts", "not_count_units"):
            setattr(self, key, tuple(me[key]))
        self.per = me["per"]
        self.per_word = regex.compile(rf"(?:{regex.escape(self.per)}(?:{_join(me['per_units'])}))+$")
        year_base = rf"(?:19|20)\d\d\s*年(?:{_join(me['comparison_year_after'])})?"
        self.comparison = regex.compile(
            rf"(?:(?:{_join(me['comparison'])})(?:{_join(me['comparison_base'])}|{year_base})?|{_join(me['averages'])})"
            rf"(?:{_join(re_['respectively'])})?"
            rf"(?:{_join(me['comparison_verbs'])})?(?:{_join(me['comparison_particles'])})?")
        self.share = regex.compile(
            rf"(?:{_join(me['share'])})[\p{{Han}}A-Za-z]{{1,8}}?(?:{_join(me['share_after'])})(?:{_join(me['share_verbs'])})?")
        self.noun_units = frozenset(me["noun_units"])
        self.agent_units = frozenset(me["agent_units"])
        self.subject_verbs = frozenset(me["subject_verbs"])
        self.money_nouns = tuple(me["money_nouns"])
        levels = _join(sorted(me["level_aside"], key=len, reverse=True))
        self.level_aside = regex.compile(rf"[（(]\s*(?:{levels})(?:\s*[、，,]\s*(?:{levels}))*\s*[)）]")
        self.restated = regex.compile(_join(me["restated"]))
        self.kept_modifiers = frozenset(me["kept_modifiers"])
        self.numeral_chars = frozenset(me["numeral_chars"])
        self.attribute_nouns = frozenset(me["attribute_nouns"])
        self.pivot_verbs = frozenset(me["pivot_verbs"])
        self.purpose_verbs = frozenset(me["purpose_verbs"])
        self.inner_qualifiers = frozenset(me["inner_qualifiers"])
        self.noun_suffixes = frozenset(me["noun_suffixes"])
        self.unit_aside = regex.compile(rf"\s*[（(]\s*(?:{_join(me['unit_aside'])})\s*[)）]")
        self.age_ahead = regex.compile(rf"^\d+(?:{alt(me['age_units'])})(?:{alt(me['age_qualifiers'])})?(?=\D)")
        self.label_max = me["label_max"]


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon(rules.load("attribution"))


@lru_cache(maxsize=1)
def default_gazetteer():
    """The gazetteer, or None where it cannot be loaded (attribution then keeps paths as found)."""
    try:
        from ..places import gazetteer

        return gazetteer.get()
    except Exception:
        return None

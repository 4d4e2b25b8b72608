"""Word boundaries: jieba's dictionary, its tags and its best route, shared by places and attribution.

    tokenizer()          jieba's global tokenizer (jieba.dt), its dictionary loaded (init_jieba: fast)
    tags()               word -> part-of-speech tag of jieba's own dictionary (jieba.posseg's table)
    blocks()             jieba's patterns of the runs it cuts into words and of what separates them
    best_route(s, total) where each word of jieba's best route through s ends, for every start

Places and attribution each cut words their own way from the route (places: word ends, with
stretches of one-character words left to jieba's HMM; attribution: words with no HMM, letters and
digits run together), so the dictionary dynamic programme itself lives here, once. Places adds the
gazetteer's names to the same tokenizer (gazetteer.load_into_jieba), which changes its total.
"""
from __future__ import annotations

from functools import lru_cache
from math import log


@lru_cache(maxsize=1)
def jieba_module():
    """jieba, told to keep its progress messages to itself."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=1)
def tokenizer():
    """jieba.dt with its dictionary loaded."""
    dt = jieba_module().dt
    init_jieba(dt)
    return dt


def own_dictionary(tk) -> bool:
    """tk reads jieba's own dictionary from jieba's own cache file (the dictionary init_jieba and
    tags read)."""
    return tk.dictionary is None and not tk.cache_file


@lru_cache(maxsize=1)
def blocks():
    """(jieba.re_han_default, jieba.re_skip_default): a run of Han characters, letters, digits and
    +#&._%- (the text jieba cuts into words, each run on its own) in a capturing group, and a line
    break or a white-space character in one (a word of its own between the runs)."""
    import jieba

    return jieba.re_han_default, jieba.re_skip_default


_TAGS: list[dict[str, str]] = []  # the one table, once read (or set from zhmine's cache)


def tags() -> dict[str, str]:
    """jieba.posseg.dt.word_tag_tab, read from jieba's dictionary file (word, frequency, tag per
    line) without importing jieba.posseg, whose HMM tables we never use.
    Names the gazetteer adds are not in it: jieba keeps their tags apart (user_word_tag_tab)."""
    if not _TAGS:
        with jieba_module().Tokenizer().get_dict_file() as f:  # jieba's own dictionary
            parts = f.read().decode("utf-8").split()
        set_tags(dict(zip(parts[0::3], parts[2::3])))
    return _TAGS[0]


def set_tags(table: dict[str, str]) -> None:
    """tags() from now on: the same table read from zhmine's cache (gazetteer.load_into_jieba)."""
    if not _TAGS:
        _TAGS.append(table)


def init_jieba(tk) -> None:
    """tk.check_initialized(), sooner: jieba reads its dictionary cache with marshal.load on the open
    file, which reads it object by object; the same bytes read whole and handed to marshal.loads are
    read much faster. Only jieba's own dictionary with its default cache file is read this
    way, after jieba has written it; anything else (no cache yet, another dictionary or cache file,
    an unreadable cache) is left to jieba."""
    import marshal
    import os
    import tempfile

    if tk.initialized:
        return
    if own_dictionary(tk):  # jieba.DEFAULT_DICT: its own dict.txt
        try:
            with open(os.path.join(tk.tmp_dir or tempfile.gettempdir(), "jieba.cache"), "rb") as f:
                freq, total = marshal.loads(f.read())
        except Exception:  # jieba builds or reloads it below
            pass
        else:
            with tk.lock:
                if not tk.initialized:
                    tk.FREQ, tk.total, tk.initialized = freq, total, True
            return
    tk.check_initialized()


@lru_cache(maxsize=1)
def _word_scores(total: int) -> dict:
    """fragment -> log(freq) - log(total) of a dictionary word, _PREFIX for a mere prefix of words
    (frequency 0), None for a fragment no word starts with: filled as best_route meets fragments,
    which saves it a dictionary probe, a log() and a subtraction per word. One table per total:
    names added to the dictionary change it."""
    return {}


_PREFIX = object()
_UNSEEN = object()


def best_route(s: str, total: int) -> list[int]:
    """For each start k in s, the end of the word that starts at k on jieba's most probable route
    from k to the end of s: jieba's Tokenizer.get_DAG and calc (jieba 0.42.1) step for step, with
    the same floating-point sums and tie rule, but without its DAG and route dicts and tuples.
    s is one of the runs jieba cuts (jieba.re_han_default); total is tokenizer().total (passed in so
    that callers can key their caches by it)."""
    get = tokenizer().FREQ.get
    logtotal = log(total)
    scores = _word_scores(total)
    if len(scores) > 50_000:
        scores.clear()  # bounded on a long run (the fragments of a few MB of text)
    n = len(s)
    score = [0.0] * (n + 1)  # log-probability of the best route from k to the end
    best_end = [0] * n
    # from the end backwards, so each start's words are scored as soon as they are found
    for k in range(n - 1, -1, -1):
        best = None
        i = k + 1
        while i <= n:
            frag = s[k:i]
            lp = scores.get(frag, _UNSEEN)
            if lp is _UNSEEN:
                f = get(frag)
                lp = scores[frag] = None if f is None else (log(f) - logtotal if f else _PREFIX)
            if lp is None:
                break  # no dictionary word starts with this fragment
            if lp is not _PREFIX:
                sc = lp + score[i]
                if best is None or sc >= best:  # jieba's max over (p, x): a tie goes to the longer word
                    best, bx = sc, i
            i += 1
        if best is None:  # no word: the character alone, log(freq or 1) as in jieba's calc
            best, bx = 0.0 - logtotal + score[k + 1], k + 1
        score[k], best_end[k] = best, bx
    return best_end

"""Stage 4, tokenize: an article's text -> a spaCy Doc of one token per character.

Registered as spaCy's tokenizer "zhmine.CharTokenizer.v1" (and advertised by the package's
spacy_tokenizers entry point, so that spacy.load finds it in a saved pipeline). jieba runs later,
only where a component needs words.
"""
from __future__ import annotations

import re

import spacy
from spacy.tokens import Doc

from .text.spans import _TEXT_KEY

# The tokens of more than one character: a Latin word, a run of white space that does not open on a
# plain space (a plain space is a token of its own). Every other character is a token, digits too: a
# whole number is a string the vocabulary has not seen for nearly every figure, and spaCy makes each
# new one a lexeme (its lexical attributes computed) and keeps its string for good.
# (stdlib re: these patterns need nothing the regex module adds, and re runs them faster)
_LONG_TOKEN = re.compile(r"[A-Za-z]+|[^\S ]\s*")


def char_tokens(text: str) -> list[str]:
    """The CharTokenizer's words. Chinese text is mostly one-character tokens: those are taken a
    slice at a time between the longer ones (cheaper than matching every token)."""
    words: list[str] = []
    extend, append = words.extend, words.append
    pos = 0
    for m in _LONG_TOKEN.finditer(text):
        if m.start() > pos:
            extend(text[pos:m.start()])  # one word per character
        append(m.group())
        pos = m.end()
    extend(text[pos:])
    return words


class _OrthCache(dict):
    """Token string -> its hash in the StringStore (added on first sight). Only single characters are
    kept: a few thousand at most, where numbers and Latin words would grow without end in a long run."""

    def __init__(self, strings):
        super().__init__()
        self.strings = strings

    def __missing__(self, word: str) -> int:
        orth = self.strings.add(word)
        if len(word) == 1:
            self[word] = orth
        return orth


class CharTokenizer:
    """One token per character, digits included, a whole token per Latin word, a token per
    space (none is folded into the previous token's trailing whitespace: a flat list of words and no
    per-token Python loop make this the cheapest Doc to build, cheaper than spaCy's own "char"
    segmenter)."""

    def __init__(self, vocab):
        self.vocab = vocab
        self._orth = _OrthCache(vocab.strings)

    def __call__(self, text: str) -> Doc:
        words = char_tokens(text)
        # Doc takes a word's hash in place of its string: a dict lookup instead of hashing the string
        # again for every token
        doc = Doc(self.vocab, words=list(map(self._orth.__getitem__, words)), spaces=[False] * len(words))
        doc.user_data[_TEXT_KEY] = text
        return doc

    # spaCy serialization hooks (nothing to save)
    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        pass

    def from_disk(self, path, **kwargs):
        return self


@spacy.registry.tokenizers("zhmine.CharTokenizer.v1")
def make_char_tokenizer():
    def create(nlp):
        return CharTokenizer(nlp.vocab)

    return create

"""Moved to zhmine.places.words. This name stays only until attribute.py imports it from there
(`from .places import words`): the very same module, not a copy."""
import sys

from .places import words

sys.modules[__name__] = words

"""Moved to zhmine.places.gazetteer. This name stays only until attribute.py imports it from there
(`from .places import gazetteer`): the very same module, not a copy."""
import sys

from .places import gazetteer

sys.modules[__name__] = gazetteer

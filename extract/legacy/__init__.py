"""`import extract`: the import name of zhmine before 0.2, kept for one release. Use `import zhmine`.

Each `extract.X` is the very module `zhmine.X` (one copy, not a second import), so code written for
the old name keeps working while it warns once.
"""
import importlib
import importlib.abc
import importlib.util
import sys
import warnings

warnings.warn("the import name `extract` is deprecated and will be removed in the next release: "
              "use `import zhmine`", DeprecationWarning, stacklevel=2)

import zhmine as _zhmine  # noqa: E402


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds extract.X as zhmine.X."""

    def find_spec(self, name, path=None, target=None):
        if name.startswith("extract."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return importlib.import_module("zhmine" + spec.name[len("extract"):])

    def exec_module(self, module):
        pass


sys.meta_path.insert(0, _Alias())
sys.modules[__name__].__dict__.update({k: v for k, v in vars(_zhmine).items() if not k.startswith("__")})

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# zhmine's on-disk cache (extract/cache.py) in a directory of this test session's own, for every
# process the tests start too: never the user's cache
_CACHE = tempfile.mkdtemp(prefix="zhmine-test-cache-")
os.environ["ZHMINE_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def nlp():
    import zhmine

    return zhmine.load()


@pytest.fixture
def shared():
    """../shared when it exists beside the checkout; tests that need it skip cleanly otherwise."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED

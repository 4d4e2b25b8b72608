import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


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

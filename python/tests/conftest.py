"""Paths the tests share. CTest sets LOCKSTEP_SOURCE_DIR and LOCKSTEP_SHARED_DATA
(python/CMakeLists.txt) and PYTHONPATH to the build's package; run by hand:

    PYTHONPATH=build/python /usr/bin/python3 -m pytest python/tests
"""
import os
import pathlib

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("LOCKSTEP_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
SHARED_DATA = pathlib.Path(os.environ.get("LOCKSTEP_SHARED_DATA", SOURCE_DIR.parent / "shared" / "data"))
ORACLES = SOURCE_DIR / "tests" / "data" / "oracles"


@pytest.fixture
def shared_data():
    if not SHARED_DATA.exists():
        pytest.skip(f"{SHARED_DATA} (../shared/data) is not beside the checkout")
    return SHARED_DATA

"""The package installs with pip from the repository, and the quickstart
notebook runs: what a new user does first."""
import importlib.util
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from conftest import SOURCE_DIR

# What pip needs of the checkout to build and package lockstep.
PACKAGE_SOURCES = ["CMakeLists.txt", "cmake", "include", "src", "tools", "python", "pyproject.toml", "setup.py",
                   "docs/python.md"]


def test_pip_installs_the_package(tmp_path):
    build_dir = os.environ.get("LOCKSTEP_BUILD_DIR")
    if not build_dir:
        pytest.skip("LOCKSTEP_BUILD_DIR (set by CTest) names no CMake build to reuse; a fresh one takes minutes")
    if importlib.util.find_spec("pip") is None:
        pytest.skip("python3-pip is not installed")
    src = tmp_path / "src"
    for name in PACKAGE_SOURCES:
        s, d = SOURCE_DIR / name, src / name
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.is_dir():
            shutil.copytree(s, d, ignore=shutil.ignore_patterns("__pycache__", "tests"))
        else:
            shutil.copy(s, d)
    target = tmp_path / "site"
    env = {**os.environ, "LOCKSTEP_BUILD_DIR": build_dir, "PIP_NO_INDEX": "1"}
    env.pop("PYTHONPATH", None)
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index",
                        "--target", str(target), str(src)], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    probe = ("import lockstep, sys; ds = lockstep.simulate('mix', seed=3, scale=0.005).load(); "
             "print(lockstep.__file__); print(len(lockstep.network(ds, window=60)) >= 0)")
    r = subprocess.run([sys.executable, "-c", probe], env={**env, "PYTHONPATH": str(target)},
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stdout.split()
    assert lines[0].startswith(str(target)), f"imported the installed copy, not the build's: {lines[0]}"
    assert (target / "lockstep" / "_lockstep.pyi").exists(), "the type stubs are installed"
    assert (target / "lockstep" / "py.typed").exists()


def test_quickstart_notebook_runs(tmp_path):
    if importlib.util.find_spec("nbconvert") is None or importlib.util.find_spec("ipykernel") is None:
        pytest.skip("python3-nbconvert or python3-ipykernel is not installed")
    notebook = SOURCE_DIR / "docs" / "notebooks" / "quickstart.ipynb"
    r = subprocess.run([sys.executable, "-m", "nbconvert", "--execute", "--to", "notebook",
                        "--ExecutePreprocessor.timeout=600", "--output-dir", str(tmp_path), str(notebook)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-4000:]
    import nbformat
    executed = nbformat.read(tmp_path / "quickstart.ipynb", as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"], "no cell raised"
    assert any("image/png" in o.get("data", {}) for o in outputs), "the plot is drawn"

"""The package's shape: the import name zhmine over the design's folders, the old name kept for a release."""
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_installed():
    """A subpackage missing from pyproject's list works in the editable install and is lost in a wheel."""
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {name: Path(ROOT / d) for name, d in conf["package-dir"].items()}
    listed = set(conf["packages"])
    found = set()
    for init in (ROOT / "extract").rglob("__init__.py"):
        rel = init.parent.relative_to(ROOT / "extract")
        if rel.parts[:1] == ("legacy",):
            continue
        found.add(".".join(("zhmine",) + rel.parts))
    assert found and found <= listed, sorted(found - listed)
    assert all(folders[name].is_dir() for name in folders)


def test_old_import_name_warns_and_is_the_same_code(tmp_path):
    code = ("import warnings; warnings.simplefilter('error', DeprecationWarning)\n"
            "try:\n    import extract\nexcept DeprecationWarning as w:\n    print('warned:', w)\n"
            "warnings.simplefilter('ignore')\nimport extract, zhmine\nimport extract.figures, zhmine.figures\n"
            "print(extract.figures is zhmine.figures, extract.load is zhmine.load)")
    # run outside the checkout, so that `extract` is the installed name and not the folder
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert lines[0].startswith("warned:") and "import zhmine" in lines[0]
    assert lines[1] == "True True"

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


def _imports() -> dict[str, set[str]]:
    """zhmine module -> the zhmine modules it imports (at the top or inside a function)."""
    import ast

    pkg = ROOT / "extract"
    mods = {}
    for f in pkg.rglob("*.py"):
        parts = f.relative_to(pkg).with_suffix("").parts
        if parts[0] == "legacy":
            continue
        name = ".".join(("zhmine",) + parts).removesuffix(".__init__")
        mods[name] = (f, f.name == "__init__.py")
    graph = {}
    for name, (f, is_pkg) in mods.items():
        here = name if is_pkg else name.rpartition(".")[0]
        out = set()
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = here
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                target = f"{base}.{node.module}" if node.module else base
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    out.add(sub if sub in mods else target)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                out |= {n for n in names if n.split(".")[0] == "zhmine"}
        graph[name] = {m for m in out if m in mods and m != name}
    return graph


def test_imports_go_one_way():
    graph = _imports()
    assert "zhmine.pipeline" in graph and "zhmine.text.spans" in graph
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(graph[m]):
            assert state.get(n) != "open", "import cycle: " + " -> ".join(stack[stack.index(n):] + [n])
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_leaves_import_nothing_of_ours_and_nothing_imports_the_research_side():
    graph = _imports()
    leaves = [m for m in graph if m.startswith("zhmine.text.")]
    assert leaves and all(not graph[m] for m in leaves), {m: graph[m] for m in leaves if graph[m]}
    research = {m for m in graph if m.startswith("zhmine.research")}
    assert research
    users = {m for m, deps in graph.items() if deps & research and m not in research and m != "zhmine.cli"}
    assert not users


def test_no_module_over_600_lines():
    long = {str(f.relative_to(ROOT)): n for f in (ROOT / "extract").rglob("*.py")
            if (n := len(f.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long


def test_the_extractor_version_follows_every_module(tmp_path, monkeypatch):
    from zhmine import records

    before = records._fingerprint()
    files = records.extraction_files()
    assert any(f.name == "words.py" for f in files) and any(f.suffix == ".toml" for f in files)
    new = ROOT / "extract" / "text" / "_zz_probe_module.py"
    try:
        new.write_text("X = 1\n", encoding="utf-8")
        assert records._fingerprint() != before
    finally:
        new.unlink()
    assert records._fingerprint() == before


def test_every_key_of_every_rules_file_is_read():
    """A key no stage reads is a rule that silently does nothing (or a typo): running the stages over
    our own corpus and the research side's name lookup reads every key of patterns/."""
    import zhmine
    from zhmine.research import query
    from zhmine.text import rules

    docs = [p for folder in (ROOT / "corpus", ROOT / "tests" / "heldout" / "docs") for p in sorted(folder.iterdir())
            if p.suffix in (".txt", ".pdf", ".html", ".docx", ".xlsx")]
    assert len(docs) >= 10
    for p in docs:
        zhmine.extract_file(p)
    query.category_id("资金投入")
    assert set(rules.SCHEMAS) >= {"figures", "units", "dates", "places", "metrics", "attribution", "tables",
                                  "meaning", "indicators"}
    assert rules.unread() == {}


def test_a_rules_file_with_an_unknown_key_is_refused():
    import pytest

    from zhmine.text import rules

    with pytest.raises(rules.RulesError, match="patterns/units.toml: unknown key 'moneys'"):
        rules.check("units", {"money": {}, "moneys": {}})
    with pytest.raises(rules.RulesError, match="should be a dict"):
        rules.check("units", {"money": ["元"]})
    with pytest.raises(rules.RulesError, match="has no schema"):
        rules.check("nonesuch", {})

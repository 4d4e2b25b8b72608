"""zhmine's cache on disk (extract/cache.py): what start-up would rebuild in every process (jieba's
dictionary with the gazetteer's names, the gazetteer's tables, the automaton's names, the rules'
compiled patterns), built once per installed version. Each test has a cache directory of its own."""
import json
import marshal
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zhmine import cache

ROOT = Path(__file__).resolve().parent.parent
NAMES = {"jieba-places", "gazetteer", "places-names", "patterns"}
TEXT = ("2023年，福建省南平市浦城县共投入帮扶资金185.41万元，全年免费健康体检10933人次。\n"
        "今年南平坚持民生优先，建阳区水吉镇新建老年食堂3个，帮助家庭经济困难的群众增收。\n")
# a process that builds the pipeline and extracts TEXT; prints what it built and what it found
PROBE = """
import json, sys
from zhmine import cache
from zhmine.pipeline import extract_file, to_jsonl_records
records = [r for r in to_jsonl_records(extract_file(sys.argv[1]))]
print(json.dumps({"built": dict(cache.BUILDS), "records": records}, ensure_ascii=False, sort_keys=True))
"""
POSIX_ROOT = os.name == "posix" and os.geteuid() == 0
NO_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


@pytest.fixture
def doc(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def probe(doc: Path, cache_dir: Path, prefix=(), wait=True):
    cmd = [*prefix, sys.executable, "-c", PROBE, str(doc)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "ZHMINE_CACHE_DIR": str(cache_dir)})
    return finish(proc) if wait else proc


def finish(proc) -> dict:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    return json.loads(out)


def files(cache_dir: Path) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for f in sorted(cache_dir.glob("*.marshal")):
        out.setdefault(f.stem.rsplit("-", 1)[0], []).append(f)
    return out


# ------------------------------------------------------------------ between processes
def test_built_once_then_read_by_the_next_process(tmp_path, doc):
    first = probe(doc, tmp_path / "cache")
    assert set(first["built"]) == NAMES and set(first["built"].values()) == {1}
    written = {name: [(f, f.stat().st_mtime_ns) for f in fs] for name, fs in files(tmp_path / "cache").items()}
    assert set(written) == NAMES and all(len(fs) == 1 for fs in written.values())
    second = probe(doc, tmp_path / "cache")
    assert second["built"] == {}
    assert second["records"] == first["records"] and first["records"]
    assert {name: [(f, f.stat().st_mtime_ns) for f in fs] for name, fs in files(tmp_path / "cache").items()} == written


def test_two_processes_building_at_once_both_succeed_and_leave_one_file_each(tmp_path, doc):
    procs = [probe(doc, tmp_path / "cache", wait=False) for _ in range(2)]
    a, b = (finish(p) for p in procs)
    assert a["records"] == b["records"] and a["records"]
    found = files(tmp_path / "cache")
    assert set(found) == NAMES and all(len(fs) == 1 for fs in found.values()), found
    assert not list((tmp_path / "cache").glob(".*.tmp")), "a temporary file was left"
    assert probe(doc, tmp_path / "cache")["built"] == {}  # what they left is whole


@pytest.mark.parametrize("damage", ["truncated", "garbled", "empty", "not ours"])
def test_a_damaged_file_is_rebuilt(tmp_path, doc, damage):
    good = probe(doc, tmp_path / "cache")
    (gz,) = files(tmp_path / "cache")["gazetteer"]
    data = gz.read_bytes()
    gz.write_bytes({"truncated": data[:len(data) // 2], "empty": b"", "not ours": marshal.dumps({"a": 1}),
                    "garbled": data[:len(data) // 2] + bytes(b ^ 0x5A for b in data[len(data) // 2:][:64])
                    + data[len(data) // 2 + 64:]}[damage])
    again = probe(doc, tmp_path / "cache")
    assert again["built"] == {"gazetteer": 1}
    assert again["records"] == good["records"]
    assert gz.read_bytes() == data  # rebuilt whole


def test_an_unwritable_cache_directory_still_extracts(tmp_path, doc):
    """A cache directory under a file (it cannot be made) and, where the test can drop root's
    override of file modes, a read-only one: everything is built in memory, nothing fails."""
    reference = probe(doc, tmp_path / "cache")["records"]
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    out = probe(doc, blocker / "cache")
    assert set(out["built"]) == NAMES and out["records"] == reference
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    try:
        out = probe(doc, read_only, prefix=NO_OVERRIDE if POSIX_ROOT else ())
        assert set(out["built"]) == NAMES and out["records"] == reference
        assert list(read_only.iterdir()) == []
    finally:
        read_only.chmod(0o755)


def test_a_cold_cache_extracts_what_a_warm_one_does_on_the_corpus(tmp_path):
    """The values read back from the cache are the values built: the whole corpus/ through both."""
    cmd = [sys.executable, "-m", "zhmine.cli", "extract", str(ROOT / "corpus")]
    env = {**os.environ, "ZHMINE_CACHE_DIR": str(tmp_path / "cache")}
    cold = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    warm = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert cold.stdout.count("\n") > 100 and cold.stdout == warm.stdout


# ------------------------------------------------------------------ cache.load itself
def test_a_new_version_rebuilds_and_the_old_file_goes_once_it_is_a_day_old(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHMINE_CACHE_DIR", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return {"n": len(calls)}

    assert cache.load("thing", build, key="v1") == {"n": 1}
    assert cache.load("thing", build, key="v1") == {"n": 1} and len(calls) == 1
    (old,) = tmp_path.glob("thing-*.marshal")
    assert cache.load("thing", build, key="v2") == {"n": 2}  # another version: built again
    assert old.exists()  # written today: maybe another installed version's, in use
    past = time.time() - cache.PRUNE_AFTER - 60
    os.utime(old, (past, past))
    assert cache.load("thing", build, key="v3") == {"n": 3}
    assert not old.exists() and len(list(tmp_path.glob("thing-*.marshal"))) == 2


def test_the_version_key_follows_the_extractor_version_and_the_libraries(monkeypatch):
    from zhmine import records

    key = cache.version_key("jieba")
    assert "jieba " in key and records.EXTRACTOR_VERSION in key
    monkeypatch.setattr(records, "EXTRACTOR_VERSION", records.EXTRACTOR_VERSION + "-changed")
    assert cache.version_key("jieba") != key


def test_a_value_marshal_cannot_write_is_kept_in_memory_only(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHMINE_CACHE_DIR", str(tmp_path))
    value = cache.load("odd", lambda: {"a": object()}, key="v1")
    assert set(value) == {"a"} and list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ what is cached
def test_cached_patterns_are_the_programs_the_engines_build(tmp_path, monkeypatch):
    """Every pattern the pipeline compiled, read back from the cache, is the pattern its engine
    compiles (re: the same program; regex: the same arguments to its C engine)."""
    import re

    import regex
    import regex._main as regex_main

    from zhmine import compiled

    monkeypatch.setenv("ZHMINE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(compiled, "_TABLE", None)
    monkeypatch.setattr(compiled, "_NEW", {})
    with compiled.from_disk():  # an empty cache: every pattern is compiled and its program kept
        # (a comment of their own: patterns no other test has compiled, so neither engine's own
        # memo answers before the engine is called)
        pieces = [r"(?P<n>\d+)\s*(万|亿)?元(?#test_cache)", r"[一二三四五六七八九十]+、(?#test_cache)",
                  r"(?<=\p{Han})年(?!度)(?#test_cache)"]
        made = [re.compile(pieces[0]), re.compile(pieces[1], re.M), regex.compile(pieces[2]), regex.compile(pieces[0], regex.I)]
    table = cache.read("patterns", compiled._key())
    assert {("re", pieces[0], 0), ("re", pieces[1], re.M.value), ("regex", pieces[2], 0),
            ("regex", pieces[0], regex.I.value)} <= set(table)
    monkeypatch.setattr(compiled, "_TABLE", None)
    with compiled.from_disk():
        again = [re.compile(pieces[0]), re.compile(pieces[1], re.M), regex.compile(pieces[2]), regex.compile(pieces[0], regex.I)]
    assert again[0] == made[0] and again[1] == made[1] and again[0] is not made[0]
    for new, old in zip(again[2:], made[2:]):
        assert (new.pattern, new.flags, new.groupindex) == (old.pattern, old.flags, old.groupindex)
    for text in ("共投入资金185万元，二十、今年", "2023年度和2024年"):
        for new, old in zip(again, made):
            assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)]
    # the real table: each regex entry is what the engine is handed for that pattern now
    assert regex_main._compile.__name__ == "_compile"  # the hook is gone after the block


def test_the_pipelines_patterns_read_back_are_those_compiled(tmp_path):
    """The whole pipeline: each pattern of the table one process made, read back in another, is the
    pattern compiled there: re's the same program; regex's finds the same matches in our held-out documents
    (regex orders a pattern's set of first characters by object hash, so its programs differ in that
    order from one process to the next, itself included)."""
    check = """
import re, sys, _sre, regex, regex._main as M
from pathlib import Path
from zhmine import cache, compiled
table = cache.read("patterns", compiled._key())
text = "\\n".join(f.read_text(encoding="utf-8", errors="replace") for f in sorted(Path(sys.argv[1]).glob("*.txt")))
assert len(table) > 200 and len(text) > 5000, (len(table), len(text))
bad, n = [], {"re": 0, "regex": 0}
for (engine, pattern, flags), args in table.items():
    n[engine] += 1
    if engine == "re":
        if _sre.compile(pattern, *args) != re.compile(pattern, flags):
            bad.append(pattern)
    else:
        ours, theirs = M._regex.compile(pattern, *args), regex.compile(pattern, flags)
        if [(m.span(), m.groups()) for m in ours.finditer(text)] != [(m.span(), m.groups()) for m in theirs.finditer(text)]:
            bad.append(pattern)
print(len(bad), n["re"] > 20 and n["regex"] > 200, bad[:3])
"""
    env = {**os.environ, "ZHMINE_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", "import zhmine; zhmine.load()"], env=env, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", check, str(ROOT / "tests" / "heldout" / "docs")], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("0 True"), out.stdout


def test_jieba_from_the_cache_is_jieba_with_the_names_added(tmp_path):
    """The dictionary read back is jieba's own with the gazetteer's names added the usual way
    (gazetteer._add_names on a tokenizer of jieba's own), and the tags are words.tags()'s."""
    check = """
import jieba
from zhmine.places import gazetteer, lexicon, words
tk, tags = lexicon.place_tokenizer()
own = jieba.Tokenizer()
words.init_jieba(own)
gazetteer._add_names(own)
with own.get_dict_file() as f:
    parts = f.read().decode("utf-8").split()
print(tk.FREQ == own.FREQ, tk.total == own.total, tk.user_word_tag_tab == own.user_word_tag_tab,
      tags == dict(zip(parts[0::3], parts[2::3])), len(tk.user_word_tag_tab) > 1000)
"""
    env = {**os.environ, "ZHMINE_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # built, then read back
        out = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == ["True"] * 5

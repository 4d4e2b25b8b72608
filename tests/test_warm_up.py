"""batch.warm_up must leave nothing for a worker's first document to build: the forkserver runs it once
and every worker shares what it built. jieba's tokenizers (its dictionary, the gazetteer's names,
cleaning's copy) cost up to 1 s on first use; left out of the warm-up, they were most of the
extraction time of a short PDF."""
from pathlib import Path

import jieba

from zhmine import batch, clean, ingest, pipeline
from zhmine.places import lexicon

# one paragraph a line, one of them broken by accident inside a word (家庭经|济), which cleaning tells
# from a heading by jieba's words; a city named by its short name, which the place filter checks
# against jieba's dictionary
WRAPPED = (
    "今年南平坚持民生优先，帮助家庭经\n"
    "济困难的群众增收，全年投入帮扶资金185.41万元，免费健康体检10933人次。\n"
    "下一步，南平将继续加大投入力度，确保各项任务落到实处。\n"
)


def counting(fn, calls: list):
    def wrapper(*args, **kwargs):
        calls.append(fn.__name__)
        return fn(*args, **kwargs)

    return wrapper


def test_after_warm_up_a_document_builds_no_tokenizer(monkeypatch):
    batch.warm_up()
    # what the warm-up built: cleaning's tokenizer, the place filter's (gazetteer names in jieba)
    assert clean._own_dictionary.cache_info().currsize == 1
    cleaning_tokenizer = clean._own_dictionary()
    assert lexicon.place_tokenizer.cache_info().currsize == 1
    loads, used = [], []
    monkeypatch.setattr(jieba.Tokenizer, "initialize", lambda self, *a, **k: loads.append(self))
    monkeypatch.setattr(clean, "_word_across", counting(clean._word_across, used))
    monkeypatch.setattr(lexicon.Lexicon, "run_ends", counting(lexicon.Lexicon.run_ends, used))
    source = ingest.Source(path=Path("wrapped.txt"), text=WRAPPED, encoding="utf-8", kind="txt", sha256="0" * 64)
    result = pipeline.extract_source(source)
    # the document went through both tokenizers...
    assert {"_word_across", "run_ends"} <= set(used)
    assert result.figures
    # ...and used the ones the warm-up built, loading no dictionary
    assert clean._own_dictionary() is cleaning_tokenizer
    assert loads == []

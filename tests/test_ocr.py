"""OCR of PDF pages without a text layer (issue 15, extra zhmine[ocr]): OcrPage glyphs from line boxes,
the --ocr modes, the error without the extra, and a seed of ../shared/corpus rendered as an image-only
PDF (made here: reportlab text -> page images -> a PDF of images) read through OCR against its gold."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from zhmine import ocr

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEED = "002_0652327c4284c84d"  # a 2,300-character seed: two pages of print
FONT = "STSong-Light"
needs_engine = pytest.mark.skipif(not ocr.available(), reason="zhmine[ocr] (rapidocr-onnxruntime) not installed")


def test_line_glyphs_spread_over_the_box_by_width():
    chars = ocr.line_chars("收入12万元", 100, 50, 160, 62)  # 4 Han (1 em) + 2 digits (half) = 5 ems of 12 pt
    assert "".join(c["text"] for c in chars) == "收入12万元"
    assert [round(c["x0"]) for c in chars] == [100, 112, 124, 130, 136, 148]
    assert all(c["size"] == 12 for c in chars)


def test_ocr_page_reads_like_a_pdfplumber_page():
    from zhmine.ingest import page_text

    page = ocr.OcrPage(1, 595, 842, ocr.line_chars("本年支出合计", 72, 100, 144, 112)
                       + ocr.line_chars("2940.05万元", 150, 100, 216, 112))
    assert page_text(page) == "本年支出合计 2940.05万元"
    assert [w["text"] for w in page.extract_words()] == ["本年支出合计", "2940.05万元"]
    assert page.filter(lambda c: c["text"] != "元").chars[-1]["text"] == "万"


def test_mode_comes_from_the_command_line_or_the_environment(monkeypatch):
    monkeypatch.delenv("ZHMINE_OCR", raising=False)
    assert ocr.mode() == "auto"
    monkeypatch.setenv("ZHMINE_OCR", "never")
    assert ocr.mode() == "never" and ocr.mode("always") == "always"
    with pytest.raises(ValueError):
        ocr.mode("sometimes")


def _image_pdf(text: str, path: Path, dpi: int = 200) -> Path:
    """The text typeset by reportlab, each page rendered to an image, the images saved as a PDF without
    any text layer."""
    import pypdfium2
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    style = ParagraphStyle("b", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK", firstLineIndent=20)
    typeset = path.with_suffix(".typeset.pdf")
    # paragraphs (blank-line separated) typeset whole: the seed's hard line breaks are its column's
    paras = [Paragraph("".join(ln.strip() for ln in p.split("\n")), style) for p in text.split("\n\n") if p.strip()]
    SimpleDocTemplate(str(typeset), pagesize=A4, leftMargin=36, rightMargin=36, topMargin=36,
                      bottomMargin=36).build(paras)
    pdf = pypdfium2.PdfDocument(str(typeset))
    images = [pdf[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(pdf))]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
    return path


def test_a_pdf_without_text_says_how_to_read_it(tmp_path, monkeypatch):
    pytest.importorskip("reportlab")
    pytest.importorskip("pypdfium2")
    from zhmine.ingest import IngestError, read

    pdf = _image_pdf("本年共安排培训经费12万元。", tmp_path / "scan.pdf")
    monkeypatch.setenv("ZHMINE_OCR", "never")
    with pytest.raises(IngestError, match="--ocr never"):
        read(pdf)
    monkeypatch.setenv("ZHMINE_OCR", "auto")
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(IngestError, match=r"zhmine\[ocr\]"):
        read(pdf)


@needs_engine
def test_a_seed_rendered_as_images_scores_through_ocr(tmp_path, monkeypatch):
    pytest.importorskip("reportlab")
    pytest.importorskip("pypdfium2")
    seed, gold_file, scorer = (SHARED / "corpus" / f"{SEED}.txt", SHARED / "gold" / f"{SEED}.json",
                               SHARED / "eval" / "score.py")
    if not (seed.exists() and gold_file.exists() and scorer.exists()):
        pytest.skip("../shared (corpus, gold, eval) not here")
    from zhmine.pipeline import extract_file, to_jsonl_records

    spec = importlib.util.spec_from_file_location("score", scorer)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    assert gold["figures"], "the seed's gold has figures"

    monkeypatch.setenv("ZHMINE_OCR", "auto")
    result = extract_file(_image_pdf(seed.read_text(encoding="utf-8"), tmp_path / f"{SEED}.pdf"))
    assert result.pages <= 2 and all(p == "ocr" for p in {f.get("text_source") for f in result.figures})
    pred = [r for r in to_jsonl_records(result) if r["type"] == "figure"]
    pairs, false_pos, misses = score.pair_figures(gold["figures"], pred)
    tp = len([g for g, _ in pairs if not g.get("optional")])
    f1 = 2 * tp / (2 * tp + len(false_pos) + len(misses))
    assert f1 >= 0.90, (f1, [m["surface"] for m in misses], [p["surface"] for p in false_pos])

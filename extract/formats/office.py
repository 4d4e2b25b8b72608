"""Word documents: .docx (paragraphs, headings and tables in document order) read off the package's
main document part with lxml, the way python-docx reads it (python-docx writes the test and corpus
files; reading through it parses every part of the package, styles and all, and asks XPath per run:
4x the time, over the 1.2x of plain text the issue allows);
.doc (Word 97-2003) and .wps (WPS Office, the same binary layout for its Word-compatible files)
through antiword, Debian's `antiword` package (scripts/system-deps.sh installs it).

Headings and paragraphs are lines of Source.text; tables go to the table reader (Source.tables),
with the paragraph just above a table as its caption (`单位：万元`). Header and footer text stays out.
"""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from .base import FormatError, fields
from .grids import Tables, year_of

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, and encrypted Office 2007+ files
ANTIWORD_TIMEOUT = 120


def read_word(path: Path) -> dict:
    with path.open("rb") as f:
        magic = f.read(8)
    suffix = path.suffix.lower()
    if magic.startswith(b"PK"):
        return read_docx(path)
    if magic == OLE_MAGIC:
        if suffix == ".docx":
            raise FormatError("password-protected (encrypted) Word document: remove the password in Word and retry")
        return read_doc(path)
    if suffix == ".docx":
        raise FormatError("not a readable .docx (not a zip package): is it damaged? Open and re-save it in Word")
    raise FormatError(f"not a Word {suffix} file (no Word header): is it damaged? Save it as .docx and retry")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_REL_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"


def _package(path: Path):
    """(main document root, core properties root or None) of a .docx package."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        target = "word/document.xml"
        if "_rels/.rels" in names:  # the package says where its main part is
            rels = etree.fromstring(z.read("_rels/.rels"), parser)
            for rel in rels:
                if rel.get("Type") == _REL_DOC:
                    target = rel.get("Target", target).lstrip("/")
        if target not in names:
            raise KeyError(f"no main document part {target}")
        body = etree.fromstring(z.read(target), parser).find(W + "body")
        if body is None:
            raise ValueError("the main document part has no body")
        core = etree.fromstring(z.read("docProps/core.xml"), parser) if "docProps/core.xml" in names else None
    return body, core


def read_docx(path: Path) -> dict:
    from lxml import etree

    try:
        body, core = _package(path)
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as e:
        raise FormatError(f"not a readable .docx ({type(e).__name__}: {e}): is it damaged? Open and re-save it in Word") from None
    title = ((core.findtext(_DC + "title") if core is not None else None) or "").strip()
    created = ((core.findtext(_DCTERMS + "created") if core is not None else None) or "").strip()
    lines: list[str] = []
    tables = None
    for child in body.iterchildren():
        if child.tag == W + "p":
            lines.append(_paragraph(child))
            continue
        if child.tag != W + "tbl":
            continue
        if tables is None:
            tables = Tables(year_of(title or next((ln for ln in lines if ln.strip()), "")))
        rows = _table_rows(child)
        caption = next((ln for ln in reversed(lines) if ln.strip()), "")
        caption = caption if len(caption) < 40 else ""
        if not tables.add(rows, page=1, caption=caption):
            lines.extend("　".join(c for c in r if c) for r in rows)  # a table of words: its text is prose
    text = "\n".join(ln.strip() for ln in lines if ln.strip())
    if not text and not (tables and tables.figures):
        raise FormatError("no text in the Word document (only images?)")
    metadata = {"Title": title} if title else {}
    if len(created) >= 10 and created[:4].isdigit():  # W3CDTF: 2023-12-01T09:00:00Z
        metadata["CreationDate"] = "D:" + "".join(ch for ch in created[:19] if ch.isdigit())
    return fields((text or title or path.stem) + "\n", "docx", "docx", path.read_bytes(), metadata=metadata,
                  tables=tables.figures if tables else [])


def _paragraph(p) -> str:
    """A paragraph's text: its runs' w:t, tabs and breaks (deleted text of tracked changes left out)."""
    parts = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "delText"):
        if el.tag == W + "t":
            parts.append(el.text or "")
        elif el.tag == W + "tab":
            parts.append("\t")
        elif el.tag != W + "delText":
            parts.append("\n")
    return "".join(parts)


def _table_rows(tbl) -> list[list[str]]:
    """Cell texts row by row; a cell merged over n columns (gridSpan) is followed by n - 1 empty cells,
    a cell continuing a vertical merge is empty."""
    rows = []
    for tr in tbl.iterchildren(W + "tr"):
        row = []
        for tc in tr.iterchildren(W + "tc"):
            pr = tc.find(W + "tcPr")
            span = pr.find(W + "gridSpan") if pr is not None else None
            vmerge = pr.find(W + "vMerge") if pr is not None else None
            text = "\n".join(_paragraph(p) for p in tc.iterchildren(W + "p")).strip()
            if vmerge is not None and vmerge.get(W + "val") in (None, "continue"):
                text = ""
            row.append(text)
            row.extend([""] * (int(span.get(W + "val", "1")) - 1 if span is not None else 0))
        rows.append(row)
    return rows


def read_doc(path: Path) -> dict:
    """Word 97-2003 (.doc) or WPS text through antiword; a clear error where it is missing or fails."""
    exe = shutil.which("antiword")
    if exe is None:
        raise FormatError(f"{path.suffix} needs antiword (apt-get install antiword), or save it as .docx")
    try:
        out = subprocess.run([exe, "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True,
                             timeout=ANTIWORD_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise FormatError(f"antiword took over {ANTIWORD_TIMEOUT} s: save it as .docx and retry") from None
    text = out.stdout.decode("utf-8", errors="replace").replace("\r\n", "\n")
    if out.returncode != 0 or not text.strip():
        why = " ".join(out.stderr.decode("utf-8", errors="replace").split())[:160] or "no text"
        what = "WPS" if path.suffix.lower() == ".wps" else "Word 97-2003"
        raise FormatError(f"not a readable {what} document (antiword: {why}): open it and save it as .docx")
    return fields(text, "doc", path.suffix.lower().lstrip("."), path.read_bytes())

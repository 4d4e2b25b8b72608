"""HTML and MHTML pages: the article without menus, sidebars and footers.

The main content comes from trafilatura (a maintained main-content extractor, Apache-2.0, pure Python
on lxml, runs offline; its scoring is language-neutral, so Chinese pages work): its XML output keeps
paragraphs, headings, lists and tables apart, so tables go to the table reader as tables. The
encoding comes from the BOM, the page's meta charset, or detection among the encodings Chinese
archives use (ingest.decode); GB2312/GBK pages are decoded as GB18030, their superset. The title and
the date come from a byline (`发布时间：2023-05-12  来源：市计生协`) or else from meta tags
(trafilatura's htmldate), and go to Source.metadata.
"""
from __future__ import annotations

import email
import email.policy
from pathlib import Path

import regex

from .base import FormatError, fields
from .grids import Tables, year_of

_META_CHARSET = regex.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", regex.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "big5": "big5hkscs"}
_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})日?"
# a byline: 发布时间：2023-05-12 10:30  来源：市计生协  (also 发布日期, 日期, 时间, 发稿时间)
_BYLINE_DATE = regex.compile(r"(?:发布|发稿|更新|成文|印发)?(?:时间|日期)\s*[:：]?\s*" + _DATE)
_SOURCE = regex.compile(r"(?:来源|來源|稿源)\s*[:：]\s*([^\s|｜　]{2,30})")


def page_encoding(data: bytes, decode) -> tuple[str, str]:
    """(text, encoding): the meta charset when it decodes the page, else detection."""
    m = _META_CHARSET.search(data[:4096])
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = m.group(1).decode("ascii").lower()
        codec = _ALIASES.get(name, name)
        try:
            return data.decode(codec), {"big5hkscs": "big5"}.get(codec, codec)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong meta tag (a page re-saved as UTF-8): detection decides
    return decode(data)


def mhtml_html(data: bytes) -> bytes:
    """The HTML part of an MHTML archive (a page saved by a browser), as bytes with its charset."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            body = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and not _META_CHARSET.search(body[:4096]):
                body = f'<meta charset="{charset}">'.encode("ascii") + body
            return body
    raise FormatError("no HTML part in the MHTML file: is it a saved web page?")


def read_html(path: Path, decode) -> dict:
    raw = data = path.read_bytes()
    kind = "html"
    if path.suffix.lower() in (".mhtml", ".mht") or data[:400].lower().lstrip().startswith((b"from:", b"mime-version")):
        data, kind = mhtml_html(data), "mhtml"
    try:
        page, encoding = page_encoding(data, decode)
    except ValueError as e:
        raise FormatError(f"{e}: is it really a web page?") from None
    return from_html(page, encoding, kind, raw)


def from_html(page: str, encoding: str, kind: str, raw: bytes) -> dict:
    import trafilatura

    page = page.replace("\r\n", "\n")
    try:
        # fast: no second opinion from the fallback extractors (readability, jusText), a third of the
        # time; the body is trafilatura's tree of the article (p, head, list/item, table/row/cell)
        doc = trafilatura.bare_extraction(page, include_tables=True, include_comments=False, with_metadata=False,
                                          deduplicate=False, fast=True)
    except Exception as e:  # lxml on a broken page
        raise FormatError(f"not a readable web page ({type(e).__name__}: {e})") from None
    root = getattr(doc, "body", None)
    if root is None or not "".join(root.itertext()).strip():
        raise FormatError("no article text found on the page (only menus and links?)")
    title = _title(page)
    page_text = _visible_text(page)
    metadata = {"Title": title} if title else {}
    # the byline follows the article's headline (a sidebar's dates may come before it)
    at = page_text.rfind(title[:20]) if title else -1
    m = _BYLINE_DATE.search(page_text, max(at, 0)) or _BYLINE_DATE.search(page_text)
    date = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m else _meta_date(page)
    if date:
        metadata["date"] = date
        metadata["CreationDate"] = "D:" + date.replace("-", "")
    s = _SOURCE.search(page_text, max(at, 0)) or _SOURCE.search(page_text)
    if s:
        metadata["source"] = s[1]
    tables = Tables(year_of(title))
    lines: list[str] = []
    for el in root:
        if el.tag == "table":
            rows = [[_text(c) for c in row.iter("cell")] for row in el.iter("row")]
            caption = lines[-1] if lines and len(lines[-1]) < 40 else ""
            if not tables.add(rows, page=1, caption=caption):
                lines.extend("　".join(r) for r in rows if any(r))  # a layout table: its words are prose
        elif el.tag == "list":
            lines.extend(_text(item) for item in el.iter("item"))
        else:
            lines.append(_text(el))
    lines = [ln for ln in lines if ln.strip()]
    # the headline, then the byline as the page shows it under the headline
    if title:
        lines = [ln for k, ln in enumerate(lines) if k > 2 or ln.strip() != title]
    if m and not any(m[0] in ln for ln in lines[:5]):
        lines.insert(0, m[0] + (f"  来源：{s[1]}" if s else ""))
    if title:
        lines.insert(0, title)
    text = "\n".join(lines)
    if not text.strip():
        raise FormatError("no article text found on the page (only menus and links?)")
    return fields(text + "\n", encoding, kind, raw, metadata=metadata, tables=tables.figures)


_H1 = regex.compile(r"(?is)<h1\b[^>]*>(.*?)</h1>")
_TITLE = regex.compile(r"(?is)<title\b[^>]*>(.*?)</title>")
_SITE_SUFFIX = regex.compile(r"\s*(?:[_|｜]|\s-\s|——).*$")


def _title(page: str) -> str:
    """The headline: the page's <h1> where there is one, else its <title> less the site's name
    (`标题_工作动态_某某协会`)."""
    import html as html_mod

    for rx, cut in ((_H1, False), (_TITLE, True)):
        m = rx.search(page)
        if m:
            text = " ".join(html_mod.unescape(regex.sub(r"<[^>]+>", "", m[1])).split())
            text = _SITE_SUFFIX.sub("", text) if cut else text
            if text:
                return text
    return ""


def _meta_date(page: str) -> str | None:
    """The date of the page's meta tags and markup (htmldate, as trafilatura uses it), when no byline says."""
    from htmldate import find_date

    try:
        return find_date(page, extensive_search=False, original_date=True)
    except Exception:  # a date library must not fail a page
        return None


def _text(el) -> str:
    """An element's text with <lb/> as line breaks."""
    for lb in el.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    return "".join(el.itertext()).strip()


def _visible_text(page: str) -> str:
    """The page's text for the byline search (scripts and styles dropped), first 20,000 characters."""
    head = regex.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page[:200_000])
    return regex.sub(r"<[^>]+>", " ", head)[:20_000]

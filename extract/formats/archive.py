"""Zip and tar.gz archives walked like folders: each document inside is its own document, with the
path `archive.zip!/inner/file.docx`.

Limits against zip bombs, each a clear error naming the archive: the member count, the total size
unpacked, and the ratio of unpacked to packed size (per member for zip, for the whole stream for
tar.gz); a member's real size is checked again while it is read (a header may lie).
Archives inside archives are not opened (an error asks to unpack them).
"""
from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path, PurePosixPath

from .base import FormatError, is_archive

MAX_MEMBERS = 10_000
MAX_TOTAL = 2_000_000_000  # bytes unpacked, all members
MAX_RATIO = 200  # unpacked / packed: text compresses about 5-10x, a bomb thousands of times
RATIO_FLOOR = 1_000_000  # members smaller than this unpacked are not held to the ratio


def _split(path: Path) -> tuple[Path, str]:
    archive, _, inner = str(path).partition("!/")
    return Path(archive), inner


def _wanted(name: str, suffixes) -> bool:
    p = PurePosixPath(name)
    if any(part.startswith(".") or part == "__MACOSX" for part in p.parts):
        return False
    return p.suffix.lower() in suffixes or p.suffix.lower() in (".txt", ".text", ".md", ".pdf")


def _infos(path: Path) -> list[tuple[str, int]]:
    """(member name, unpacked size) of the archive's files, after the limits are checked."""
    packed = path.stat().st_size
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                infos = [i for i in z.infolist() if not i.is_dir()]
                _count(path, len(infos))
                for i in infos:
                    if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                        raise FormatError(f"zip bomb? member {i.filename} unpacks {i.file_size / max(i.compress_size, 1):.0f}"
                                                f" times its packed size (limit {MAX_RATIO}): not opened")
                    if i.flag_bits & 0x1:
                        raise FormatError(f"password-protected zip (member {i.filename}): unpack it first")
                out = [(i.filename, i.file_size) for i in infos]
        elif path.name.lower().endswith((".tar.gz", ".tgz")):
            out = []
            with tarfile.open(path, "r:gz") as t:
                for m in t:  # headers only; a bomb is stopped by the limits before it is read through
                    if m.isfile():
                        out.append((m.name, m.size))
                        _count(path, len(out))
                        _total(path, sum(s for _, s in out), packed)
        else:
            raise FormatError("not a zip or tar.gz archive: is it damaged?")
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as e:
        raise FormatError(f"not a readable archive ({type(e).__name__}: {e}): is it damaged?") from None
    _total(path, sum(s for _, s in out), packed)
    return out


def _count(path, n):
    if n > MAX_MEMBERS:
        raise FormatError(f"zip bomb? over {MAX_MEMBERS} members in the archive: unpack it and run on the folder")


def _total(path, total, packed):
    if total > MAX_TOTAL:
        raise FormatError(f"zip bomb? members unpack to over {MAX_TOTAL / 1e9:.0f} GB: not opened")
    if total > RATIO_FLOOR and total > MAX_RATIO * max(packed, 1):
        raise FormatError(f"zip bomb? members unpack to {total / max(packed, 1):.0f} times the archive's size"
                                f" (limit {MAX_RATIO}): not opened")


def check(path: Path) -> None:
    _infos(path)


def members(path: Path, suffixes) -> list[Path]:
    """The member paths of the archive's documents (files with a suffix zhmine reads), in name order."""
    return [Path(f"{path}!/{name}") for name, _ in sorted(_infos(path)) if _wanted(name, suffixes)]


def member_bytes(path: Path, max_bytes: int) -> tuple[str, bytes]:
    """(suffix, bytes) of one member, read within the limits; ingest reads it as a document of its own."""
    archive, inner = _split(path)
    if not archive.is_file():
        raise FormatError(f"no such archive {archive}")
    if is_archive(inner):
        raise FormatError("an archive inside an archive: unpack the outer one and run on the folder")
    sizes = dict(_infos(archive))
    if inner not in sizes:
        raise FormatError(f"no member {inner} in {archive.name}")
    if sizes[inner] > max_bytes:
        raise FormatError(f"member is {sizes[inner] / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit")
    return "".join(PurePosixPath(inner).suffixes[-1:]), _member_bytes(archive, inner, min(max_bytes, sizes[inner]))


def _member_bytes(archive: Path, inner: str, limit: int) -> bytes:
    """The member's bytes, reading at most limit + 1 (a header that understates the size is caught)."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as z, z.open(inner) as f:
            data = f.read(limit + 1)
    else:
        with tarfile.open(archive, "r:gz") as t:
            f = t.extractfile(inner)
            data = f.read(limit + 1) if f else b""
    if len(data) > limit:
        raise FormatError("member unpacks to more than its header says (zip bomb?): not read")
    return data

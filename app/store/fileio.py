"""Durable file writes, for every file the app writes that must never be half there (key file,
backup manifest, export packages, receipts): temp file + fsync + rename (+ folder fsync), and
for files that leave the station, a read-back check before success is reported."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

from app.errors import StationError


class WriteFailed(StationError):
    code = "write_failed"


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX). Windows cannot open a folder and needs no such step."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(path: Path, data: bytes, tmp: Path | None = None) -> None:
    """Put `data` under `path` so that a crash leaves the old file or the new one, never half.
    Raises the OSError (disk full, read-only…) after removing the temp file."""
    path = Path(path)
    tmp = tmp or path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # a leftover that cannot go now is cleaned at the next run
            pass
        raise
    fsync_dir(path.parent)


def write_verified(path: Path, data: bytes, verify: Callable[[bytes], None] | None = None,
                   expected: str | None = None) -> str:
    """Write `data` under `path` atomically and return its SHA-256 after reading the file back
    from the medium and checking it (hash, then `verify`). A failure leaves any previous file
    under `path` as it was and removes the temp file. `expected`: the SHA-256 of `data` when
    the caller has it already (an export package's is part of what sealing it returns)."""
    path = Path(path)
    if path.is_dir():
        raise WriteFailed(f"这是一个文件夹：{path}", f"this is a folder: {path}")
    expected = expected or hashlib.sha256(data).hexdigest()
    try:
        replace_atomically(path, data)
    except OSError as exc:
        raise WriteFailed(f"无法写入文件：{path}（{exc.strerror or exc}）",
                          f"cannot write the file: {path} ({exc.strerror or exc}); any previous file is unchanged") from exc
    back = path.read_bytes()
    if hashlib.sha256(back).hexdigest() != expected:
        raise WriteFailed(f"写入后读回的文件与原内容不符（介质可能有问题）：{path}",
                          f"the file read back differs from what was written (faulty medium?): {path}")
    if verify is not None:
        verify(back)
    return expected


def clean_temp_files(folder: Path) -> int:
    """Remove leftovers of interrupted writes (hidden *.tmp files made by write_verified)."""
    n = 0
    for p in Path(folder).glob(".*.tmp"):
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n

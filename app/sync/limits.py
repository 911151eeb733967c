"""The package format's version, magic bytes and documented limits (docs/sync-format.md): one
place that the package, the manifest check and the part reader all read."""
from __future__ import annotations

from app import bounded_json

FORMAT = 1
MAGIC = b"STNPKG\r\n"
INNER_MAGIC = b"STNSIG1\n"
SIGN_CONTEXT = b"station-intel manifest v1\n"
HKDF_INFO = b"station-intel package v1"

# -- documented limits (docs/sync-format.md) ---------------------------------------------------
MAX_PACKAGE_BYTES = 512 * 1024 * 1024
MAX_HEADER_BYTES = 4096
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_MEMBERS = 32
MAX_PART_RAW = 1024 * 1024 * 1024
MAX_TOTAL_RAW = 2 * 1024 * 1024 * 1024
#: Real parts (JSON of records) compress 3-15x; a member claiming more is refused unread.
MAX_RATIO = 200
#: The JSON inside (app/bounded_json.py): the header, the manifest before its signature is
#: checked (anyone with the branch's public key can send one), and the parts after it.
HEADER_JSON = bounded_json.Limits(MAX_HEADER_BYTES, max_depth=2, max_items=64, max_string=1024)
MANIFEST_JSON = bounded_json.Limits(MAX_MANIFEST_BYTES, max_depth=6, max_items=20_000, max_string=4096)
PART_JSON = bounded_json.Limits(MAX_PART_RAW, max_items=MAX_PART_RAW, walk=False)

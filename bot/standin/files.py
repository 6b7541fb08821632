"""Files the bot uploads or users send: kept in memory with Telegram-like file ids."""

from __future__ import annotations

import hashlib
import mimetypes
import struct

from bot.standin.models import FileRecord, bad_request
from bot.standin.params import Upload

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF, JPEG or WebP image; None when it is not one of those."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return _webp_size(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


class FileStore:
    """Maps file ids to records; ids look like Telegram's opaque strings and are stable per content."""

    def __init__(self) -> None:
        self._files: dict[str, FileRecord] = {}
        self._counter = 0

    def clear(self) -> None:
        self._files.clear()

    def get(self, file_id: str) -> FileRecord | None:
        return self._files.get(file_id)

    def add(
        self,
        data: bytes,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        prefix: str = "BQAC",
        url: str | None = None,
    ) -> FileRecord:
        self._counter += 1
        digest = hashlib.sha256(data).hexdigest()
        size = image_size(data)
        record = FileRecord(
            file_id=f"{prefix}{self._counter:06d}{digest[:26]}",
            file_unique_id=f"AgAD{digest[:12]}",
            data=data,
            filename=filename,
            mime_type=mime_type or (mimetypes.guess_type(filename)[0] if filename else None),
            width=size[0] if size else None,
            height=size[1] if size else None,
            url=url,
        )
        self._files[record.file_id] = record
        return record

    def from_request(self, value: Upload | str | None, *, kind: str) -> FileRecord:
        """Resolves a document/photo parameter the way Telegram does: upload, file_id or URL."""
        if value is None:
            raise bad_request(f"there is no {kind} in the request")
        if isinstance(value, str):
            known = self._files.get(value)
            if known is not None:
                return known
            if value.startswith(("http://", "https://")):
                name = value.rstrip("/").rsplit("/", 1)[-1] or None
                return self.add(b"", filename=name, url=value, prefix="URL")
            raise bad_request("wrong file identifier/HTTP URL specified")
        if not value.data:
            raise bad_request("file must be non-empty")
        if kind == "photo":
            if len(value.data) > MAX_PHOTO_BYTES:
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
            if image_size(value.data) is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            return self.add(value.data, filename=value.filename, mime_type="image/jpeg", prefix="AgAC")
        if len(value.data) > MAX_DOCUMENT_BYTES:
            raise bad_request("file is too big")
        mime = value.content_type if value.content_type not in (None, "application/octet-stream") else None
        return self.add(value.data, filename=value.filename, mime_type=mime)

"""Attachments: typed by their content, size-limited, stored under random names.

Files live in UPLOAD_FOLDER (instance/uploads by default) as
`<random hex>` with no extension; the original name and the sniffed type
are columns. Downloads are always served as attachments.
"""
from __future__ import annotations

import hashlib
import io
import os
import secrets
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from tracker.models import Attachment
from tracker.services.documents import searchable_text
from tracker.services.errors import Invalid

ALLOWED = {
    "application/pdf": (".pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
}
ACCEPT = ",".join(ext for exts in ALLOWED.values() for ext in exts)


def sniff(head: bytes, data: bytes) -> str | None:
    """Return the MIME type of a file from its bytes (None when not an allowed kind)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def display_name(filename: str) -> str:
    """Keep the user's file name readable (Vietnamese included) but free of paths and controls."""
    name = os.path.basename((filename or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/\\|?*')
    return name.strip()[:200] or "file"


def read_upload(storage: FileStorage) -> tuple[bytes, str]:
    """Read and check an uploaded file; return its bytes and sniffed type, or raise Invalid."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = storage.stream.read(limit + 1)
    name = display_name(storage.filename or "")
    if len(data) > limit:
        raise Invalid(_l("The file is too large."), {"attachments": _l(
            "%(name)s is larger than %(mb)d MB.", name=name, mb=limit // (1024 * 1024))})
    if not data:
        raise Invalid(_l("The file is empty."), {"attachments": _l("%(name)s is empty.", name=name)})
    kind = sniff(data[:16], data)
    ext = Path(name.lower()).suffix
    if kind is None or ext not in ALLOWED[kind] and not (kind == "application/msword" and ext == ".xls"):
        raise Invalid(_l("This kind of file is not accepted."), {"attachments": _l(
            "%(name)s is not a PDF, Word, Excel or image file (its content was checked).", name=name)})
    if kind == "application/msword" and ext == ".xls":
        kind = "application/vnd.ms-excel"
    return data, kind


def store(storage: FileStorage, user_id: int | None) -> tuple[Attachment, bytes]:
    """Check an upload and build its Attachment row; the caller writes the bytes after the flush."""
    data, kind = read_upload(storage)
    attachment = Attachment(stored_name=secrets.token_hex(20), original_name=display_name(storage.filename or ""),
                            content_type=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                            uploaded_by_id=user_id, text=searchable_text(data, kind))
    return attachment, data


def write_file(attachment: Attachment, data: bytes) -> None:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / attachment.stored_name
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def file_path(attachment: Attachment) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / secure_filename(attachment.stored_name)


def remove_file(stored_name: str) -> None:
    """Remove a stored file whose row was deleted (and committed); a file already gone is fine."""
    (Path(current_app.config["UPLOAD_FOLDER"]) / secure_filename(stored_name)).unlink(missing_ok=True)

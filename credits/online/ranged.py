"""Serve a stored file honouring one HTTP Range (RFC 9110 §14), so lesson videos seek."""
import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _ranged_body(field_file, start: int, length: int):
    """The stored bytes from `start`, `length` of them. From object storage (django-storages'
    S3Storage, which has a `bucket`) one ranged GET reads just those bytes; opening the file
    there would first download the whole object, a whole lesson video for every seek."""
    storage = field_file.storage
    if getattr(storage, "bucket", None) is None:
        return _chunks(field_file.open("rb"), start, length)
    body = storage.bucket.Object(storage._normalize_name(field_file.name)).get(
        Range=f"bytes={start}-{start + length - 1}")["Body"]
    return _chunks(body, 0, length)


def _chunks(handle, start: int, length: int):
    if start:
        handle.seek(start)
    remaining = length
    try:
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def ranged_file_response(request, field_file, content_type: str):
    size = field_file.size
    header = request.headers.get("Range", "")
    match = _RANGE.match(header.strip()) if header else None
    if match is None or (not match.group(1) and not match.group(2)):
        response = FileResponse(field_file.open("rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first:
        start, end = int(first), int(last) if last else size - 1
    else:  # "bytes=-500": the last 500 bytes
        start, end = max(size - int(last), 0), size - 1
    end = min(end, size - 1)
    if start > end or start >= size:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    length = end - start + 1
    response = StreamingHttpResponse(_ranged_body(field_file, start, length),
                                     status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    return response

"""Checks on an uploaded package zip before anything is stored: size, entry count, expansion
ratio (zip bombs), names that would escape the package's folder (path traversal), links and
encryption. Every check reads the zip's central directory and then each entry's real bytes,
stopping as soon as a limit is passed, so a lying header cannot get a bomb through."""
import posixpath
import stat
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings

# Real packages compress HTML, JS and JSON about 3 to 10 times, media barely; 100 times is a bomb.
MAX_RATIO = 100
CHUNK = 1024 * 1024


class PackageArchiveError(ValueError):
    """The zip is refused; the message names the problem for the educator."""


@dataclass
class ArchiveSummary:
    file_names: set[str]
    file_count: int
    uncompressed_bytes: int


def _safe_name(name: str) -> str:
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise PackageArchiveError(f"The zip holds “{name}”, an absolute or Windows path; "
                                  "package files must sit inside the package.")
    normal = posixpath.normpath(name)
    if normal.startswith("../") or normal == ".." or "/../" in f"/{name}/":
        raise PackageArchiveError(f"The zip holds “{name}”, which points outside the package "
                                  "(path traversal).")
    if any(ord(char) < 32 for char in name):
        raise PackageArchiveError("The zip holds a file name with control characters.")
    return normal


def archive_check(upload: IO[bytes], *, size: int) -> ArchiveSummary:
    """Open and check the zip, reading every entry; PackageArchiveError says what is wrong."""
    if size > settings.PACKAGE_MAX_BYTES:
        raise PackageArchiveError(
            f"The zip is {size / 1024 / 1024:.0f} MB; the largest package the portal takes is "
            f"{settings.PACKAGE_MAX_BYTES / 1024 / 1024:.0f} MB.")
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError):
        raise PackageArchiveError("The file is not a zip archive; export the package as a "
                                  "zip (SCORM 1.2 or SCORM 2004).") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > settings.PACKAGE_MAX_FILES:
            raise PackageArchiveError(f"The zip holds {len(entries)} files; the portal takes "
                                      f"at most {settings.PACKAGE_MAX_FILES}.")
        names, total = set(), 0
        for entry in entries:
            name = _safe_name(entry.filename)
            if entry.flag_bits & 0x1:
                raise PackageArchiveError(f"“{name}” is encrypted; upload the package unlocked.")
            if stat.S_ISLNK(entry.external_attr >> 16):
                raise PackageArchiveError(f"“{name}” is a symbolic link; packages may hold only "
                                          "files and folders.")
            if entry.is_dir():
                continue
            if name in names:
                raise PackageArchiveError(f"The zip holds “{name}” twice.")
            names.add(name)
            total += _entry_size(archive, entry, name, total)
    return ArchiveSummary(file_names=names, file_count=len(names), uncompressed_bytes=total)


def _entry_size(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str,
                total_so_far: int) -> int:
    """Decompress one entry, counting real bytes against the limits (headers can lie)."""
    limit = settings.PACKAGE_MAX_UNCOMPRESSED_BYTES
    allowed = max(entry.compress_size, 1) * MAX_RATIO + CHUNK
    read = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(CHUNK):
                read += len(chunk)
                if read > allowed:
                    raise PackageArchiveError(
                        f"“{name}” expands more than {MAX_RATIO} times its compressed size: "
                        "the zip looks like a zip bomb and is refused.")
                if total_so_far + read > limit:
                    raise PackageArchiveError(
                        "The package expands to more than "
                        f"{limit / 1024 / 1024:.0f} MB; the portal takes at most that.")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError,
            ValueError) as error:
        if isinstance(error, PackageArchiveError):
            raise
        raise PackageArchiveError(f"“{name}” in the zip is damaged ({error}).") from None
    return read

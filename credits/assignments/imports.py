"""Read an uploaded list of email addresses for an assignment and check every row against the
portal's accounts, without writing anything (the same preview-then-apply shape, decoding and
row errors as attendance imports, whose pieces it reuses)."""
import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from accounts.models import User
from credits.attendance.imports import RowError, decode_report, users_by_email

_NOT_AN_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PREVIEW_ROWS_KEPT = 500


@dataclass
class EmailList:
    line_count: int
    user_ids: list[int]
    preview: list[dict]
    errors: list[RowError]

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.user_ids)


def _email_column(header: list[str]) -> int | None:
    for position, cell in enumerate(header):
        if re.sub(r"[^a-z]", "", cell.lower()) in {"email", "emailaddress", "mail", "useremail"}:
            return position
    return None


def read_email_list(data: bytes) -> EmailList:
    """Validate an email list: two queries, however many rows.

    The file is CSV with a header naming an Email column, or one address per line. Raises
    ValidationError when the file as a whole is unusable; row problems are in `errors`.
    """
    try:
        text = decode_report(data)
    except ValidationError as error:
        if error.code == "not_csv":
            raise ValidationError("This is not a CSV file. Save the list from Excel as “CSV "
                                  "UTF-8”, one email address per row.", code="not_csv") from None
        raise
    rows = list(csv.reader(io.StringIO(text, newline="")))
    column, first_line = 0, 1
    if rows and (found := _email_column(rows[0])) is not None:
        column, first_line = found, 2
    elif rows and "@" not in "".join(rows[0]):
        raise ValidationError("No Email column was found. Put the heading “Email” above the "
                              "addresses, or list one address per line.", code="no_header")
    seen: dict[str, int] = {}
    errors: list[RowError] = []
    line_count = 0
    for line, row in enumerate(rows[first_line - 1:], start=first_line):
        if not any(cell.strip() for cell in row):
            continue
        line_count += 1
        email = (row[column] if column < len(row) else "").strip().lower()
        if not email:
            errors.append(RowError(line, "", "No email address in this row."))
        elif not _NOT_AN_EMAIL.match(email):
            errors.append(RowError(line, email, f"“{email}” is not an email address."))
        else:
            seen.setdefault(email, line)
    found_ids = users_by_email(seen) if seen else {}
    active = set(User.objects.filter(pk__in=found_ids.values(), is_active=True)
                 .values_list("pk", flat=True))
    for email, line in seen.items():
        if email not in found_ids:
            errors.append(RowError(line, email, "No portal account has this email address. "
                                                "Ask the person to sign up, or fix the address."))
        elif found_ids[email] not in active:
            errors.append(RowError(line, email, "This account is deactivated."))
    if not seen and not errors:
        raise ValidationError("The file has no email addresses.", code="empty")
    errors.sort(key=lambda error: error.line)
    return EmailList(line_count=line_count,
                     user_ids=sorted({found_ids[e] for e in seen if found_ids.get(e) in active}),
                     preview=[{"line": line, "email": email} for email, line in seen.items()
                              ][:PREVIEW_ROWS_KEPT],
                     errors=errors)

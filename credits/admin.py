"""The Django admin of the credits app: each feature package registers its own models."""
from credits.assignments import admin as assignments_admin  # noqa: F401
from credits.attendance import admin as attendance_admin  # noqa: F401
from credits.boards import admin as boards_admin  # noqa: F401
from credits.certificates import admin as certificates_admin  # noqa: F401
from credits.drills import admin as drills_admin  # noqa: F401
from credits.evaluations import admin as evaluations_admin  # noqa: F401
from credits.ledger import admin as ledger_admin  # noqa: F401
from credits.reports import admin as reports_admin  # noqa: F401
from credits.requirements import admin as requirements_admin  # noqa: F401

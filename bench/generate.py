"""Benchmark data set: courses, sessions, clinicians with licences, enrolments and credit records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpd_bench python -m bench.generate [--reset]
    python -m bench.generate --scale 0.01 --reset        # a quick run (1% of every table)
    python -m bench.generate --scale system --reset      # a hospital system (see SYSTEM_SIZE)

Loads into the database named by DATABASE_URL; use a database of its own (createdb cpd_bench),
never one with real data. It runs `migrate` first, then streams rows into PostgreSQL with COPY
in one transaction: 10,000 published courses (specialties, topics, credit designations,
directors), 50,000 sessions, 100,000 clinicians (each with a licence, most physicians in
Massachusetts) plus 1% educators, 1,000,000 enrolments and 1,000,000 credit records, then
computes every course's search vector in one UPDATE, then VACUUM ANALYZEs. The secondary indexes and
foreign keys of the two million-row tables are dropped for the load and recreated after it in
the same transaction (unique indexes and foreign keys then check every row); nothing else is
dropped, so the data passes every database check.

`--scale system` loads a hospital system instead: 150,000 learners, 20,000 activities (100 of
them drills with ten questions each), 3,000,000 enrolments, 5,000,000 credit records, 1,000,000
drill deliveries (50,000 drill learners, their cards, two deliveries a card) and the January
burst of required training: 20,000 learners in required-training assignments due within the
reminder window and not yet done. The drill and assignment rows are made set-based with
INSERT ... SELECT in the database. `--scale system:0.01` loads 1% of that for a quick run.

It refuses to load into a database that already holds courses or users unless `--reset` is
given, which truncates the generated tables (and what references them) first. The same
`--seed` and `--scale` give the same data set. Prints rows and seconds per table.
"""
import argparse
import bisect
import datetime
import io
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpd_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.choices import US_STATES, Profession  # noqa: E402
from accounts.models import Licence, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from courses.credit_types import CreditType  # noqa: E402
from courses.models import (  # noqa: E402
    CHECKIN_ALPHABET,
    CHECKIN_CODE_LENGTH,
    Course,
    CreditDesignation,
    Enrolment,
    Session,
    Specialty,
    Topic,
)
from courses.questions.models import DrillSettings, Question, QuestionOption  # noqa: E402
from courses.services.search import COURSE_SEARCH_VECTOR  # noqa: E402
from courses.session_dates import course_session_dates_refresh  # noqa: E402
from credits.assignments.models import Assignment, AssignmentMember  # noqa: E402
from credits.assignments.reminders import REMINDER_DAYS_BEFORE  # noqa: E402
from credits.drills.models import DrillCard, DrillDelivery, DrillEnrolment  # noqa: E402
from credits.models import CreditRecord  # noqa: E402

FULL_SIZE = {"courses": 10_000, "sessions_per_course": 5, "clinicians": 100_000,
             "enrolments_per_clinician": 10, "credit_records_per_clinician": 10}
# A hospital system (issue 32): one of HealthStream's customers has over 150,000 staff and a
# system-wide office records millions of credit records a year; required training makes every
# January a burst. Only this size loads drills and assignments.
SYSTEM_SIZE = {"courses": 20_000, "sessions_per_course": 5, "clinicians": 150_000,
               "enrolments_per_clinician": 20, "credit_records": 5_000_000,
               "drills": 100, "questions_per_drill": 10, "drill_deliveries": 1_000_000,
               "deliveries_per_card": 2, "burst_members": 20_000, "burst_assignments": 4}
COPY_BATCH_ROWS = 100_000

FIRST_NAMES = [
    "Priya", "Sam", "Marcus", "Dana", "Aisha", "Wei", "Olivia", "Liam", "Sofia", "Mateo", "Fatima",
    "Noah", "Grace", "Ethan", "Chloe", "Omar", "Hannah", "Lucas", "Mei", "Daniel", "Ana", "Yusuf",
    "Emma", "Jacob", "Leila", "Ryan", "Isabella", "Kwame", "Zoe", "Nathan", "Ingrid", "Diego",
    "Sarah", "Arjun", "Rachel", "Tomas", "Nadia", "Benjamin", "Chen", "Elena", "Samuel", "Amara",
    "Victor", "Julia", "Hiro", "Maya", "Patrick", "Lina", "Gabriel", "Rosa", "David", "Anika",
    "Michael", "Yara", "Joseph", "Claire", "Rahul", "Esther", "Paul",
]
LAST_NAMES = [
    "Raman", "Ortiz", "Lee", "Whitfield", "Khan", "Zhang", "Johnson", "Nguyen", "Garcia", "Rossi",
    "Haddad", "Smith", "Okafor", "Brown", "Kim", "Patel", "Cohen", "Silva", "Müller", "O'Brien",
    "Yamamoto", "Dubois", "Kowalski", "Hernandez", "Ali", "Murphy", "Chen", "Andersson", "Mensah",
    "Novak", "Rivera", "Schmidt", "Gupta", "Levine", "Costa", "Ibrahim", "Walsh", "Tanaka",
    "Moreau", "Nowak", "Lopez", "Fischer", "Singh", "Goldberg", "Pereira", "Hassan", "Kelly",
    "Sato", "Laurent", "Wójcik", "Torres", "Becker", "Shah",
]
SPECIALTIES = [
    ("internal-medicine", "Internal medicine"), ("hospital-medicine", "Hospital medicine"),
    ("emergency-medicine", "Emergency medicine"), ("cardiology", "Cardiology"),
    ("oncology", "Oncology"), ("pediatrics", "Pediatrics"), ("surgery", "Surgery"),
    ("psychiatry", "Psychiatry"), ("nursing", "Nursing"), ("pharmacy", "Pharmacy"),
    ("anesthesiology", "Anesthesiology"), ("infectious-disease", "Infectious disease"),
    ("neurology", "Neurology"), ("obstetrics", "Obstetrics and gynecology"),
    ("radiology", "Radiology"), ("geriatrics", "Geriatrics"),
]
SUBJECTS = [
    "Sepsis recognition", "Heart failure update", "Opioid prescribing", "Stroke code",
    "Diabetes management", "Antimicrobial stewardship", "Difficult airway",
    "Delirium in older adults", "Pediatric asthma", "Pain management", "Medication safety",
    "End-of-life conversations", "Chest pain pathways", "Anticoagulation", "Wound care",
    "Fall prevention", "Patient handoffs", "Implicit bias in care",
    "Electronic health record efficiency", "Malpractice risk", "Acute kidney injury",
    "Transfusion", "Breast cancer screening", "Depression in primary care",
    "Substance use disorder", "Hypertension",
]
KINDS = ["Grand rounds", "Workshop", "Update", "Simulation", "Case conference", "Masterclass",
         "Online module", "Skills day", "Journal club", "Symposium"]
LOCATIONS = ["Main auditorium", "Simulation centre, level 2", "Conference room B",
             "Education centre 4.10", "Online"]
# Profession mix of the clinicians, with the degree and credit type each claims.
PROFESSION_MIX = [
    (Profession.PHYSICIAN, ["MD", "DO", "MBBS"], CreditType.AMA_PRA_1, 0.55),
    (Profession.NURSE, ["RN", "BSN", "NP"], CreditType.ANCC, 0.25),
    (Profession.PHARMACIST, ["PharmD", "RPh"], CreditType.ACPE, 0.08),
    (Profession.PHYSICIAN_ASSISTANT, ["PA-C"], CreditType.AAPA_1, 0.07),
    (Profession.SOCIAL_WORKER, ["LCSW", "MSW"], CreditType.PARTICIPATION, 0.05),
]
# Enrolment statuses and the share of each: most enrolled, some cancelled, pending or waitlisted.
ENROLMENT_STATUS_MIX = [Enrolment.Status.ENROLLED, Enrolment.Status.CANCELLED,
                        Enrolment.Status.PENDING, Enrolment.Status.WAITLISTED]
ENROLMENT_STATUS_CUTS = [0.86, 0.94, 0.97]
OTHER_STATES = [code for code, _ in US_STATES if code != "MA"]


# --- COPY plumbing ---------------------------------------------------------------------------

def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return (value.replace("\\", "\\\\").replace("\t", "\\t")
                .replace("\n", "\\n").replace("\r", "\\r"))
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def default_values(model: type[models.Model], columns: list[str]) -> dict[str, object]:
    """The value of every column of `model` not in `columns` (nor its serial id), as Django
    would save it: the field's default, NULL, "" for text, now for auto_now. A field added later
    with a default therefore does not break the generator; one without a default stops it with
    a clear message."""
    table = model._meta.db_table
    values = {}
    for field in model._meta.concrete_fields:
        if field.column in columns or (field.primary_key and "id" not in columns
                                       and isinstance(field, models.AutoField)):
            continue
        if field.has_default() or field.null or field.empty_strings_allowed:
            if callable(field.default) and field.unique:
                sys.exit(f"{table}.{field.column} has a unique random default: "
                         "bench/generate.py must generate it.")
            value = field.get_default()
            if isinstance(field, models.JSONField):
                value = json.dumps(value)
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        else:
            sys.exit(f"{table}.{field.column} has no default: teach bench/generate.py "
                     "to fill it.")
        values[field.column] = value
    return values


def insert_select(model: type[models.Model], columns: list[str], select: str,
                  params: list | None = None) -> int:
    """INSERT INTO the model's table the rows of `select` (one expression per column of
    `columns`), every other column taking its default as in TableLoader; set-based, in the
    database. Returns the rows inserted."""
    defaults = default_values(model, columns)
    names = ", ".join([*columns, *defaults])
    # Typed, as an untyped text parameter would not go into a jsonb or date column.
    types = {field.column: field.db_type(connection) for field in model._meta.concrete_fields}
    constants = "".join(f", CAST(%s AS {types[column]})" for column in defaults)
    with connection.cursor() as cursor:
        cursor.execute(f'INSERT INTO "{model._meta.db_table}" ({names}) '
                       f"SELECT selected.*{constants} FROM ({select}) selected",
                       [*defaults.values(), *(params or [])])
        return cursor.rowcount


class TableLoader:
    """Streams rows into one table with COPY, in batches, filling every column the generator
    does not name with the model field's default (`default_values`)."""

    def __init__(self, model: type[models.Model], columns: list[str]):
        self.table = model._meta.db_table
        defaults = default_values(model, columns)
        self.columns = [*columns, *defaults]
        self.suffix = "".join("\t" + _copy_text(value) for value in defaults.values())
        self.rows = 0

    def load(self, rows: Iterable[tuple]) -> None:
        buffer = io.StringIO()
        pending = 0
        for row in rows:
            buffer.write("\t".join(map(_copy_text, row)) + self.suffix + "\n")
            pending += 1
            if pending == COPY_BATCH_ROWS:
                self._flush(buffer)
                buffer, pending = io.StringIO(), 0
        if pending:
            self._flush(buffer)

    def _flush(self, buffer: io.StringIO) -> None:
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f'COPY "{self.table}" ({", ".join(self.columns)}) FROM STDIN', buffer)
            self.rows += cursor.rowcount


def through(model: type[models.Model], field_name: str) -> type[models.Model]:
    return model._meta.get_field(field_name).remote_field.through


def secondary_indexes_and_foreign_keys_drop(table_models: list[type[models.Model]]) -> dict:
    """Drop the secondary indexes and foreign keys of the million-row tables before loading.

    Building an index once after the load is far cheaper than updating it row by row, and
    re-adding a foreign key checks every row in one join instead of queueing a deferred check
    per row. Everything happens in the generator's one transaction, so a failure rolls the
    drops back; `..._restore` recreates each from the definition PostgreSQL reported.
    """
    tables = [model._meta.db_table for model in table_models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT index_class.relname, pg_get_indexdef(index_class.oid) "
            "FROM pg_index JOIN pg_class index_class ON index_class.oid = pg_index.indexrelid "
            "WHERE pg_index.indrelid = ANY(%s::regclass[]) AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint WHERE pg_constraint.conindid = pg_index.indexrelid)",
            [tables])
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables])
        foreign_keys = cursor.fetchall()
        # Django's foreign keys are deferred: check the rows loaded so far now, as a table
        # with pending checks cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return {"indexes": indexes, "foreign_keys": foreign_keys}


def secondary_indexes_and_foreign_keys_restore(deferred: dict) -> int:
    with connection.cursor() as cursor:
        for _, definition in deferred["indexes"]:
            cursor.execute(definition)
        for table, name, definition in deferred["foreign_keys"]:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return len(deferred["indexes"]) + len(deferred["foreign_keys"])


# --- The data set ------------------------------------------------------------------------------

def size_for(scale: str) -> dict[str, int]:
    """The row counts of a `--scale`: a fraction of the full data set ("0.01"), or "system"
    (SYSTEM_SIZE) optionally with a fraction of it ("system:0.01")."""
    name, _, fraction = scale.partition(":")
    if name == "system":
        factor = float(fraction or 1)
        size = {key: max(1, round(value * factor)) for key, value in SYSTEM_SIZE.items()}
        for fixed in ("sessions_per_course", "enrolments_per_clinician", "questions_per_drill",
                      "deliveries_per_card", "burst_assignments"):
            size[fixed] = SYSTEM_SIZE[fixed]
    else:
        factor = float(scale)
        size = {**FULL_SIZE, "drills": 0, "drill_deliveries": 0, "burst_members": 0}
        for key in ("courses", "clinicians"):
            size[key] = max(20, round(FULL_SIZE[key] * factor))
        size["credit_records"] = size["clinicians"] * FULL_SIZE["credit_records_per_clinician"]
    size["courses"] = max(size["courses"], 20)
    size["clinicians"] = max(size["clinicians"], 20)
    return size


class Generator:
    def __init__(self, *, size: dict[str, int], seed: int):
        self.seed = seed
        self.size = size
        self.random = random.Random(seed)
        self.course_count = size["courses"]
        self.clinician_count = size["clinicians"]
        # Every clinician gets `base` credit records, the first `extra` of them one more.
        self.credit_records_base, self.credit_records_extra = divmod(size["credit_records"],
                                                                     self.clinician_count)
        # The drills are the last course ids.
        self.first_drill_id = self.course_count - size["drills"] + 1
        self.educator_count = max(2, self.clinician_count // 100)
        self.now = timezone.now().replace(microsecond=0)
        self.today = self.now.date()
        draw = random.Random(seed * 7_919)
        self.professions = draw.choices(
            [(profession, degrees, credit_type)
             for profession, degrees, credit_type, _ in PROFESSION_MIX],
            weights=[share for *_, share in PROFESSION_MIX],
            k=self.clinician_count + self.educator_count)

    def timed(self, name: str, step: Callable[[], int]) -> None:
        started = time.perf_counter()
        rows = step()
        seconds = time.perf_counter() - started
        print(f"{name}_rows={rows} {name}_seconds={seconds:.1f}", flush=True)

    def run(self) -> None:
        self.specialty_ids = [Specialty.objects.get_or_create(slug=slug, defaults={"name": name})
                              [0].pk for slug, name in SPECIALTIES]
        self.topic_ids = list(Topic.objects.values_list("pk", flat=True))
        self.clinician_group = Group.objects.get_or_create(name=Role.CLINICIAN)[0].pk
        self.educator_group = Group.objects.get_or_create(name=Role.EDUCATOR)[0].pk
        self.timed("users", self.load_users)
        self.timed("licences", self.load_licences)
        self.timed("courses", self.load_courses)
        self.timed("sessions", self.load_sessions)
        deferred = secondary_indexes_and_foreign_keys_drop([Enrolment, CreditRecord])
        self.timed("enrolments", self.load_enrolments)
        self.timed("credit_records", self.load_credit_records)
        self.timed("indexes_and_foreign_keys",
                   lambda: secondary_indexes_and_foreign_keys_restore(deferred))
        self.timed("search_vectors", lambda: Course.objects.update(
            search_vector=COURSE_SEARCH_VECTOR))
        # COPY sends no signals: store every course's session dates in one UPDATE.
        self.timed("session_dates", lambda: course_session_dates_refresh(
            course_ids=Course.objects.values_list("pk", flat=True)))
        if self.size["drills"]:
            self.timed("drill_questions", self.load_drill_questions)
            self.timed("drill_enrolments", self.load_drill_enrolments)
            self.timed("drill_cards", self.load_drill_cards)
            self.timed("drill_deliveries", self.load_drill_deliveries)
        if self.size["burst_members"]:
            self.timed("burst_assignment_members", self.load_burst_assignments)

    # Users: clinicians are ids 1..N, educators (also clinicians) follow them.
    def profession_of(self, user_id: int) -> tuple[str, list[str], str]:
        return self.professions[user_id - 1]

    def load_users(self) -> int:
        total = self.clinician_count + self.educator_count
        users = TableLoader(User, ["id", "email", "full_name", "password", "degree",
                                   "profession", "date_joined", "is_active"])

        def rows():
            for user_id in range(1, total + 1):
                first = self.random.choice(FIRST_NAMES)
                last = self.random.choice(LAST_NAMES)
                profession, degrees, _ = self.profession_of(user_id)
                handle = f"{first}.{last}".lower().replace("'", "")
                joined = self.now - datetime.timedelta(days=self.random.randint(1, 1500))
                # "!" + random text is Django's unusable password: nobody signs in as these.
                yield (user_id, f"{handle}.{user_id}@hospital.example", f"{first} {last}",
                       f"!{self.random.getrandbits(160):040x}", self.random.choice(degrees),
                       profession, joined, True)

        users.load(rows())
        groups = TableLoader(through(User, "groups"), ["user_id", "group_id"])
        groups.load([(user_id, self.clinician_group) for user_id in range(1, total + 1)]
                    + [(user_id, self.educator_group)
                       for user_id in range(self.clinician_count + 1, total + 1)])
        return users.rows

    def load_licences(self) -> int:
        licences = TableLoader(Licence, ["user_id", "state", "number", "profession",
                                         "expires_on"])

        def rows():
            for user_id in range(1, self.clinician_count + 1):
                profession = self.profession_of(user_id)[0]
                state = "MA" if self.random.random() < 0.7 else self.random.choice(OTHER_STATES)
                expires = self.today + datetime.timedelta(days=self.random.randint(1, 730))
                yield user_id, state, f"{state}-{user_id:07d}", profession, expires

        licences.load(rows())
        return licences.rows

    def load_courses(self) -> int:
        courses = TableLoader(Course, [
            "id", "title", "slug", "summary", "description", "learning_objectives", "format",
            "status", "capacity", "approval_required", "evaluation_required",
            "allows_walk_ins", "claim_window_days", "published_at", "created_at", "updated_at"])
        formats = [value for value, _ in Course.Format.choices]

        def rows():
            for course_id in range(1, self.course_count + 1):
                subject = self.random.choice(SUBJECTS)
                kind = self.random.choice(KINDS)
                title = f"{subject}: {kind.lower()} {course_id}"
                created = self.now - datetime.timedelta(days=self.random.randint(30, 900))
                course_format = self.random.choice(formats)
                if course_id >= self.first_drill_id:
                    course_format = Course.Format.DRILL
                yield (course_id, title, f"{subject}-{kind}-{course_id}".lower().replace(" ", "-"),
                       f"A {kind.lower()} on {subject.lower()} for the whole care team.",
                       f"{subject} in everyday practice: evidence, cases and discussion.",
                       f"Apply current guidance on {subject.lower()}\nRecognise common pitfalls",
                       course_format, Course.Status.PUBLISHED,
                       self.random.choice([None, 12, 30, 60, 120, 250]),
                       self.random.random() < 0.1, True, self.random.random() < 0.3, 90,
                       created + datetime.timedelta(days=7), created, created)

        courses.load(rows())
        course_ids = range(1, self.course_count + 1)
        TableLoader(through(Course, "specialties"), ["course_id", "specialty_id"]).load(
            (course_id, specialty)
            for course_id in course_ids
            for specialty in self.random.sample(self.specialty_ids, self.random.randint(1, 2)))
        # About a third of the courses count toward a licence topic, a few toward two.
        TableLoader(through(Course, "topics"), ["course_id", "topic_id"]).load(
            (course_id, topic)
            for course_id in course_ids if self.random.random() < 0.35
            for topic in self.random.sample(self.topic_ids, 1 + (self.random.random() < 0.15)))
        first_educator = self.clinician_count + 1
        TableLoader(through(Course, "directors"), ["course_id", "user_id"]).load(
            (course_id, self.random.randint(first_educator, first_educator + self.educator_count
                                            - 1)) for course_id in course_ids)
        designations = TableLoader(CreditDesignation, ["course_id", "credit_type", "max_credits",
                                                       "acpe_uan"])
        designations.load(
            (course_id, credit_type, Decimal(self.random.randint(1, 32)) / 4,
             f"0000-9999-26-{course_id % 1000:03d}-L01-P" if credit_type == CreditType.ACPE else "")
            for course_id in course_ids
            for credit_type in [CreditType.AMA_PRA_1, *self.random.sample(
                [CreditType.ANCC, CreditType.ACPE, CreditType.AAPA_1], self.random.randint(0, 2))])
        return courses.rows

    def load_sessions(self) -> int:
        sessions = TableLoader(Session, ["course_id", "title", "starts_at", "ends_at", "location",
                                         "checkin_code", "checkin_secret"])
        base = len(CHECKIN_ALPHABET)

        def checkin_code(number: int) -> str:
            # Distinct numbers give distinct codes; an offset keeps them from looking sequential.
            number = (number * 7_368_787 + 104_729) % base ** CHECKIN_CODE_LENGTH
            digits = []
            for _ in range(CHECKIN_CODE_LENGTH):
                number, digit = divmod(number, base)
                digits.append(CHECKIN_ALPHABET[digit])
            return "".join(digits)

        def rows():
            number = 0
            for course_id in range(1, self.course_count + 1):
                first = self.now + datetime.timedelta(days=self.random.randint(-365, 365))
                first = first.replace(hour=self.random.choice([7, 8, 12, 17]), minute=30,
                                      second=0)
                for week in range(self.size["sessions_per_course"]):
                    number += 1
                    starts = first + datetime.timedelta(weeks=week)
                    minutes = self.random.choice([60, 60, 90, 120, 240])
                    yield (course_id, "", starts, starts + datetime.timedelta(minutes=minutes),
                           self.random.choice(LOCATIONS), checkin_code(number),
                           f"{self.random.getrandbits(128):032x}")

        sessions.load(rows())
        return sessions.rows

    def learning_of(self, user_id: int) -> tuple[list[tuple[int, str]], list[int]]:
        """A clinician's enrolments (course, status) and the other courses they walked in to.

        Drawn from a per-clinician seed, so that the enrolment pass and the credit-record pass
        agree without holding a million rows in memory.
        """
        draw = random.Random(self.seed * 104_729 + user_id)
        per_user = self.size["enrolments_per_clinician"]
        courses = draw.sample(range(1, self.course_count + 1),
                              min(per_user + self.credit_records_of(user_id), self.course_count))
        statuses = [ENROLMENT_STATUS_MIX[bisect.bisect(ENROLMENT_STATUS_CUTS, draw.random())]
                    for _ in courses[:per_user]]
        return list(zip(courses[:per_user], statuses, strict=True)), courses[per_user:]

    def load_enrolments(self) -> int:
        enrolments = TableLoader(Enrolment, ["user_id", "course_id", "status",
                                             "waitlist_position", "created_at", "updated_at"])
        next_position: dict[int, int] = {}

        def rows():
            for user_id in range(1, self.clinician_count + 1):
                for course_id, status in self.learning_of(user_id)[0]:
                    position = None
                    if status == Enrolment.Status.WAITLISTED:
                        position = next_position.get(course_id, 0) + 1
                        next_position[course_id] = position
                    created = self.now - datetime.timedelta(minutes=self.random.randint(
                        1, 1_000_000))
                    yield user_id, course_id, status, position, created, created

        enrolments.load(rows())
        return enrolments.rows

    def credit_records_of(self, user_id: int) -> int:
        return self.credit_records_base + (user_id <= self.credit_records_extra)

    def load_credit_records(self) -> int:
        records = TableLoader(CreditRecord, [
            "user_id", "course_id", "credit_type", "amount", "completed_on", "claimed_at",
            "source", "status", "void_reason", "voided_at"])

        def rows():
            for user_id in range(1, self.clinician_count + 1):
                enrolments, walk_ins = self.learning_of(user_id)
                enrolled = [course_id for course_id, status in enrolments
                            if status == Enrolment.Status.ENROLLED]
                # Walk-ins make up the rest, so that every clinician has their number.
                credited = (enrolled + walk_ins)[:self.credit_records_of(user_id)]
                credit_type = self.profession_of(user_id)[2]
                for course_id in credited:
                    completed = self.today - datetime.timedelta(days=self.random.randint(0, 1460))
                    claimed = datetime.datetime.combine(
                        completed + datetime.timedelta(days=self.random.randint(0, 30)),
                        datetime.time(12), tzinfo=datetime.UTC)
                    voided = self.random.random() < 0.01
                    yield (user_id, course_id, credit_type, Decimal(self.random.randint(1, 16)) / 4,
                           completed, claimed,
                           CreditRecord.Source.ADMINISTRATOR if self.random.random() < 0.02
                           else CreditRecord.Source.CLAIM,
                           CreditRecord.Status.VOIDED if voided else CreditRecord.Status.ACTIVE,
                           "Entered twice; the CME office voided the copy." if voided else "",
                           claimed + datetime.timedelta(days=1) if voided else None)

        records.load(rows())
        return records.rows


    # --- A hospital system only: drills and the January burst, set-based in the database ---

    def load_drill_questions(self) -> int:
        """Each drill's settings, its questions (a vignette, a rationale) and four options."""
        course = Course._meta.db_table
        insert_select(DrillSettings, ["course_id"],
                      f"SELECT id FROM {course} WHERE id >= %s ORDER BY id", [self.first_drill_id])
        questions = insert_select(
            Question, ["course_id", "stem", "rationale", "reference", "position"],
            f"SELECT drill.id, 'Question ' || position || ': a 68-year-old has a respiratory "
            f"rate of 24/min and a systolic pressure of 96 mmHg. What next?', "
            f"'qSOFA is positive: assess for sepsis now.', 'SSC 2021', position "
            f"FROM {course} drill CROSS JOIN generate_series(1, %s) position "
            f"WHERE drill.id >= %s ORDER BY drill.id, position",
            [self.size["questions_per_drill"], self.first_drill_id])
        insert_select(
            QuestionOption, ["question_id", "text", "position", "is_correct"],
            f"SELECT question.id, 'Option ' || chr(65 + letter), letter, "
            f"letter = question.position %% 4 "
            f"FROM {Question._meta.db_table} question CROSS JOIN generate_series(0, 3) letter "
            f"WHERE question.course_id >= %s ORDER BY question.id, letter",
            [self.first_drill_id])
        return questions

    def drill_learner_count(self) -> int:
        per_learner = self.size["questions_per_drill"] * self.size["deliveries_per_card"]
        return min(self.clinician_count, -(-self.size["drill_deliveries"] // per_learner))

    def load_drill_enrolments(self) -> int:
        """The first learners, spread over the drills, joined two months ago."""
        return insert_select(
            DrillEnrolment, ["user_id", "course_id", "joined_at", "last_delivered_on"],
            "SELECT learner, %s + learner %% %s, %s, %s "
            "FROM generate_series(1, %s) learner ORDER BY learner",
            [self.first_drill_id, self.size["drills"], self.now - datetime.timedelta(days=60),
             self.today - datetime.timedelta(days=1), self.drill_learner_count()])

    def load_drill_cards(self) -> int:
        """One card per question of each learner's drill, each answered once per delivery."""
        self.drill_deferred = secondary_indexes_and_foreign_keys_drop([DrillCard, DrillDelivery])
        return insert_select(
            DrillCard, ["enrolment_id", "question_id", "due_on", "times_answered"],
            f"SELECT enrolment.id, question.id, %s::date + question.position %% 5, %s "
            f"FROM {DrillEnrolment._meta.db_table} enrolment "
            f"JOIN {Question._meta.db_table} question ON question.course_id = enrolment.course_id "
            f"ORDER BY enrolment.id, question.id",
            [self.today, self.size["deliveries_per_card"]])

    def load_drill_deliveries(self) -> int:
        """Each card delivered `deliveries_per_card` times, a week or more apart, up to the
        drill's one million; then the indexes and foreign keys of cards and deliveries."""
        deliveries = insert_select(
            DrillDelivery, ["enrolment_id", "card_id", "question_id", "delivered_on",
                            "created_at"],
            f"SELECT card.enrolment_id, card.id, card.question_id, day, day + time '07:00' "
            f"FROM {DrillCard._meta.db_table} card "
            f"CROSS JOIN generate_series(1, %s) round "
            f"CROSS JOIN LATERAL (SELECT %s::date - (round * 7 + card.id %% 5)::integer "
            f"                    AS day) delivered "
            f"ORDER BY card.id, round LIMIT %s",
            [self.size["deliveries_per_card"], self.today, self.size["drill_deliveries"]])
        secondary_indexes_and_foreign_keys_restore(self.drill_deferred)
        return deliveries

    def load_burst_assignments(self) -> int:
        """January's required training: a few assignments of online activities (an applied
        email list each, so the hourly sweep adds nobody) due within the reminder window, and
        `burst_members` learners who have not done theirs, so each is owed one reminder."""
        titles = ["Annual infection control", "Annual fire safety", "Annual HIPAA privacy",
                  "Annual workplace violence prevention"]
        courses = list(Course.objects.filter(format=Course.Format.ENDURING)
                       .order_by("pk").values_list("pk", flat=True)
                       [:self.size["burst_assignments"]])
        due_on = self.today + datetime.timedelta(days=REMINDER_DAYS_BEFORE - 2)
        assignments = [Assignment.objects.create(
            title=f"{titles[index % len(titles)]} {due_on.year}", course_id=course_id,
            target=Assignment.Target.EMAIL_LIST, due=Assignment.Due.FIXED, due_on=due_on,
            recurrence=Assignment.Recurrence.ANNUAL, status=Assignment.Status.ACTIVE,
            created_by_id=self.clinician_count + 1) for index, course_id in enumerate(courses)]
        return insert_select(
            AssignmentMember, ["assignment_id", "user_id", "assigned_on", "due_on"],
            f"SELECT assignment.id, learner.id, %s::date, %s::date "
            f"FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS number "
            f"      FROM {User._meta.db_table} WHERE id <= %s) learner "
            f"JOIN (SELECT id, course_id, row_number() OVER (ORDER BY id) - 1 AS number "
            f"      FROM {Assignment._meta.db_table} WHERE id = ANY(%s)) assignment "
            f"  ON assignment.number = learner.number %% %s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {CreditRecord._meta.db_table} record "
            f"  WHERE record.user_id = learner.id AND record.course_id = assignment.course_id) "
            f"ORDER BY learner.id LIMIT %s",
            [self.today - datetime.timedelta(days=30), due_on, self.clinician_count,
             [assignment.pk for assignment in assignments], len(assignments),
             self.size["burst_members"]])


GENERATED_TABLES = [Course, User]  # TRUNCATE ... CASCADE empties everything that refers to them


def _reset_sequences() -> None:
    with connection.cursor() as cursor:
        for model in (User, Course):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"COALESCE((SELECT max(id) FROM {table}), 1))")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="1",
                        help="Fraction of the full size to load (0.01 for a quick run), or "
                             "'system' for a hospital system ('system:0.01': 1%% of it).")
    parser.add_argument("--reset", action="store_true",
                        help="Truncate the generated tables (and what refers to them) first.")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        sys.exit("The benchmark data set needs PostgreSQL: set DATABASE_URL.")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database={connection.settings_dict['NAME']} scale={args.scale}", flush=True)
    with transaction.atomic():
        if args.reset:
            tables = ", ".join(f'"{model._meta.db_table}"' for model in GENERATED_TABLES)
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        elif Course.objects.exists() or User.objects.exists():
            sys.exit("The database already holds courses or users: pass --reset to replace "
                     "them (it empties those tables), or point DATABASE_URL at a new database.")
        generator = Generator(size=size_for(args.scale), seed=args.seed)
        generator.run()
        _reset_sequences()
    analyse_started = time.perf_counter()
    with connection.cursor() as cursor:
        # What autovacuum does to a production database after a load: statistics, and the
        # visibility map that lets index-only scans (the catalog's count) skip the table.
        # VACUUM cannot run inside a transaction, as when a test calls this.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    print(f"vacuum_analyze_seconds={time.perf_counter() - analyse_started:.1f}")
    print(f"total_seconds={time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()

"""A published course, a clinician enrolled in it, and three changes made around the signals: a
weekly series (one bulk insert), a queryset.update() and a raw SQL UPDATE. Each page is cached
before each change (a warm request runs only the session, user and role reads) and asked again
after it. Run as `python -m tests.caching.freshness_world` it migrates the database named by
DATABASE_URL, runs the same and prints the results as JSON, for comparing backends."""
import datetime
import json

CATALOG = "/courses/"
MY_LEARNING = "/learning/"
# Session, user and the viewer's roles: what a signed-in page served from the cache reads.
WARM_QUERIES = 3


def _pages(client, course) -> dict[str, str]:
    return {"catalog": client.get(CATALOG).text,
            "course": client.get(f"/courses/{course.slug}/").text,
            "learning": client.get(MY_LEARNING).text}


def _warm_queries(client, course) -> dict[str, int]:
    """Each page asked twice: the second answer's query count (WARM_QUERIES when cached)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path in (("catalog", CATALOG), ("course", f"/courses/{course.slug}/"),
                       ("learning", MY_LEARNING)):
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        counts[name] = len(queries)
    return counts


def freshness_check() -> dict:
    """{change: {"warm": queries per page before it, "shown": whether each page shows it}}."""
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from courses.models import Course, Enrolment, Session
    from courses.services.publishing import SeriesRule, session_series_create

    director = User.objects.create(email="marcus@hospital.example", full_name="Marcus Lee",
                                   degree="RN", profession="nurse")
    clinician = User.objects.create(email="priya@hospital.example", full_name="Priya Raman",
                                    degree="MD", profession="physician", npi="1234567893")
    course = Course.objects.create(title="Sepsis: the first hour", slug="sepsis-first-hour",
                                   format=Course.Format.RSS, status=Course.Status.PUBLISHED,
                                   summary="Recognition and the hour-one bundle.")
    course.directors.add(director)
    Enrolment.objects.create(user=clinician, course=course, status=Enrolment.Status.ENROLLED)
    client = Client()
    client.force_login(clinician)

    def series():
        first = datetime.date.today() + datetime.timedelta(days=7)
        session_series_create(course=course, editor=director, location="Main auditorium",
                              rule=SeriesRule(
                                  weekdays=(first.weekday(),), start_time=datetime.time(7, 30),
                                  end_time=datetime.time(8, 30), first_date=first,
                                  time_zone="America/New_York", count=4))

    def update():
        Course.objects.filter(pk=course.pk).update(title="Sepsis: the golden hour")

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Session._meta.db_table} SET location = %s "  # noqa: S608
                           "WHERE course_id = %s", ["Simulation centre", course.pk])
            cursor.execute(f"UPDATE {Course._meta.db_table} SET title = %s "  # noqa: S608
                           "WHERE id = %s", ["Sepsis bundle in the emergency department",
                                             course.pk])

    changes = {
        # Until its first session the course is not open for enrolment: not in the catalog.
        "series": (series, {"catalog": "Sepsis: the first hour", "course": "Main auditorium",
                            "learning": "Main auditorium"}),
        "update": (update, {"catalog": "Sepsis: the golden hour",
                            "course": "Sepsis: the golden hour",
                            "learning": "Sepsis: the golden hour"}),
        "raw_sql": (raw_sql, {"catalog": "Sepsis bundle in the emergency department",
                              "course": "Simulation centre", "learning": "Simulation centre"}),
    }
    results = {}
    for name, (change, expected) in changes.items():
        warm = _warm_queries(client, course)
        before = _pages(client, course)
        change()
        after = _pages(client, course)
        results[name] = {
            "warm": warm,
            "shown": {page: text in after[page] and text not in before[page]
                      for page, text in expected.items()}}
    return results


if __name__ == "__main__":
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host name, and query capture
    call_command("migrate", verbosity=0)
    print(json.dumps(freshness_check()))

"""`make cluster-drill`: a bounded mixed load on the running `make cluster` while parts of it are
killed with SIGKILL (a web node, the email worker mid-send, the certificate worker mid-batch, the
replica) and started again; then what the load did is compared with what exists. Tooling, not
portal code (docs/operations.md#a-cluster-on-one-machine).

The load goes through nginx as learners and the CME office would: sign in, browse, enrol,
check in with the session's code, claim, answer the drill's emailed questions, export a roster in
the background and regenerate the activity's certificates. Email is counted where it arrives (the
cluster's SMTP sink) by Message-ID. It prints `requests=`, `errors=`, `lost=`, `duplicated=`
(each with its parts) and exits non-zero unless all three of the last are 0.
"""
from __future__ import annotations

import datetime
import html.parser
import os
import re
import sys
import threading
import time
import zoneinfo
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from deploy.local import cluster

LEARNERS = int(os.environ.get("DRILL_LEARNERS", "40"))
CLIENTS = 6  # learners' journeys at once
SETTLE_SECONDS = 420  # the email lease (120 s) and the certificate lease (60 s), plus ticks
RETRIES = 4  # a request nginx answers 502/503/504, or a dropped connection, is tried again
PASSWORD = "cluster-drill-2026"
# allauth takes 30 sign-ins a minute from one address (settings.ACCOUNT_RATE_LIMITS), and the
# whole drill comes from one: its sign-ins are spaced to stay under that.
SIGN_IN_SPACING_SECONDS = 2.2


class FormFields(html.parser.HTMLParser):
    """The fields of the POST forms of a page, with the values a browser would send unchanged
    (the selected option of a select, checked boxes, hidden inputs)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind != "submit":
                fields[attrs["name"]] = attrs.get("value") or ("on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and (
                "selected" in attrs or self._select not in fields):
            fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def post_forms(page: str) -> list[dict]:
    parser = FormFields()
    parser.feed(page)
    return parser.forms


@dataclass
class Tally:
    requests: int = 0
    retried: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, retried: bool = False) -> None:
        with self.lock:
            self.requests += 1
            self.retried += retried

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


TALLY = Tally()


class Pace:
    """At most one call a `spacing` seconds, across threads."""

    def __init__(self, spacing: float):
        self.spacing = spacing
        self.next_at = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            at = max(now, self.next_at)
            self.next_at = at + self.spacing
        time.sleep(at - now)


SIGN_IN_PACE = Pace(SIGN_IN_SPACING_SECONDS)


class Browser:
    """One person's cookies against one base URL; failed requests a client may retry are."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()

    def request(self, method: str, path: str, *, expect=(200, 302),
                **kwargs) -> requests.Response | None:
        url = path if path.startswith("http") else self.base + path
        for attempt in range(RETRIES + 1):
            try:
                response = self.session.request(method, url, allow_redirects=False, timeout=60,
                                                **kwargs)
            except requests.ConnectionError:
                response = None
            TALLY.count(retried=attempt > 0)
            if response is not None and response.status_code not in (502, 503, 504):
                if response.status_code not in expect:
                    TALLY.error(f"{method} {path}: {response.status_code}")
                    return None
                return response
            time.sleep(1 + attempt)
        TALLY.error(f"{method} {path}: no answer after {RETRIES} retries")
        return None

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def csrf(self) -> str:
        return self.session.cookies.get("csrftoken", "")

    def post(self, path: str, data: dict | None = None, **kwargs):
        if not self.csrf():
            self.get(path if path.startswith("/accounts/login") else "/accounts/login/")
        return self.request("POST", path, data={"csrfmiddlewaretoken": self.csrf(), **(data or {})},
                            **kwargs)

    def submit_page_form(self, path: str, overrides: dict | None = None, **kwargs):
        """GET the page and POST its own form (the one posting back to it, not the header's
        sign-out or language forms) as a person pressing its button would."""
        page = self.get(path)
        if page is None:
            return None
        forms = [form for form in post_forms(page.text) if form["action"] in ("", path)]
        if not forms:
            TALLY.error(f"GET {path}: no form")
            return None
        return self.post(path, {**forms[0]["fields"], **(overrides or {})}, **kwargs)

    def sign_in(self, email: str, password: str) -> bool:
        SIGN_IN_PACE.wait()
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"login": email, "password": password})
        return response is not None and response.status_code == 302


# --- What the drill sets up, through the portal's services --------------------------------------
def _daytime_zone(now: datetime.datetime) -> str:
    """A zone where it is a weekday around midday now, so the drill's scan delivers questions
    whatever the hour the drill runs."""
    from accounts.choices import TIME_ZONES

    for name, _label in TIME_ZONES:
        local = now.astimezone(zoneinfo.ZoneInfo(name))
        if local.weekday() < 5 and 11 <= local.hour < 14:
            return name
    return "UTC"


def setup(run: str) -> dict:
    """Learners with a password, a live activity whose first session ended minutes ago (its
    check-in still open, claims for it open) and whose second, next week, keeps it open for
    enrolment, and the learners joined to the demo's drill."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from accounts.models import Role, User
    from accounts.services import user_role_grant
    from courses.models import Course
    from cpd_portal.demo.activities import ActivityPlan, SessionPlan, activity_ensure
    from cpd_portal.demo.context import Demo
    from cpd_portal.demo.drills import TITLE as DRILL_TITLE
    now = timezone.now()
    zone = _daytime_zone(now)
    educator = User.objects.get(email="educator@example.org")
    administrator = User.objects.get(email="admin@example.org")
    demo = Demo(now=now, people={"Educator": educator, "Administrator": administrator})
    course = activity_ensure(demo, ActivityPlan(
        title=f"Cluster drill {run}: rapid response team simulation",
        summary="A live simulation, run by the cluster drill.", evaluation_required=False,
        designations=(("ama_pra_1", "1.00", ""),),
        sessions=(SessionPlan(starts_at=now - datetime.timedelta(minutes=65),
                              ends_at=now - datetime.timedelta(minutes=5),
                              location="Simulation centre"),
                  SessionPlan(starts_at=now + datetime.timedelta(days=7),
                              ends_at=now + datetime.timedelta(days=7, hours=1),
                              location="Simulation centre"))))
    learners = []
    for number in range(LEARNERS):
        user = User.objects.create_user(email=f"drill-{run}-{number}@staff.example.net",
                                        password=PASSWORD, full_name=f"Drill Nurse {number}",
                                        time_zone=zone)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        user_role_grant(user=user, role=Role.CLINICIAN)
        learners.append(user)
    drill = Course.objects.get(title=DRILL_TITLE, format=Course.Format.DRILL)
    return {"course": course, "session": course.sessions.order_by("starts_at").first(),
            "learners": learners,
            "drill": drill, "started_at": now}


# --- The load ----------------------------------------------------------------------------------
@dataclass
class Done:
    """What the load saw succeed, to compare with what exists."""

    enrolled: set = field(default_factory=set)
    checked_in: set = field(default_factory=set)
    claimed: set = field(default_factory=set)
    answered: set = field(default_factory=set)  # answer-link paths
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, value) -> None:
        with self.lock:
            getattr(self, kind).add(value)


def learner_journey(base: str, world: dict, user, done: Done) -> None:

    from courses import checkin

    browser = Browser(base)
    if not browser.sign_in(user.email, PASSWORD):
        TALLY.error(f"sign-in of {user.email} refused")
        return
    course = world["course"]
    for path in ("/", "/courses/", f"/courses/{course.slug}/", "/learning/"):
        browser.get(path)
    if browser.post(f"/courses/{course.slug}/enrol/"):
        done.add("enrolled", user.pk)
    # The session ended minutes ago: the check-in comes from the phone's offline queue, typed
    # (with the code then shown) two minutes after the start, as X-Recorded-At says. A refusal
    # redirects to the bare form, an accepted check-in to its session's page.
    typed_at = world["session"].starts_at + datetime.timedelta(minutes=2)
    response = browser.post("/checkin/", {"code": checkin.current_code(world["session"], typed_at)},
                            headers={"X-Recorded-At": typed_at.isoformat()})
    if response is not None and "session=" in response.headers.get("Location", ""):
        done.add("checked_in", user.pk)
    elif response is not None:
        TALLY.error("check-in refused")
    response = browser.submit_page_form(f"/courses/{course.slug}/claim/")
    if response is not None and response.status_code == 302:
        done.add("claimed", user.pk)
    browser.get("/transcript/")
    world["browsers"][user.pk] = browser


ANSWER_LINK = re.compile(r"(/drills/answer/[^/\s\"'<>]+/)")


def drill_answer_links(world: dict, mail_from: int) -> list[str]:
    """The first option's link of each drill email that reached the sink for the learners."""
    import email as email_parser
    import email.utils

    recipients = {user.email for user in world["learners"]}
    first_links = []
    for path in sorted(mail_directory().glob("*.eml"), key=lambda p: int(p.stem)):
        if int(path.stem) <= mail_from:
            continue
        message = email_parser.message_from_bytes(path.read_bytes())
        if email.utils.parseaddr(message["To"] or "")[1] not in recipients:
            continue
        text = "".join(part.get_payload(decode=True).decode(errors="ignore")
                       for part in message.walk() if part.get_content_type() == "text/plain")
        links = ANSWER_LINK.findall(text)
        if links:
            first_links.append(links[0])
    return first_links


def drill_answers(base: str, world: dict, mail_from: int, done: Done) -> None:
    """Each learner presses the first option's link of the drill email they received."""
    for link in drill_answer_links(world, mail_from):
        response = Browser(base).post(link, expect=(200, 409))
        if response is not None:
            done.add("answered", link)


def office_work(base: str, world: dict) -> dict:
    """The CME office: a roster export (a background run on the exports worker)."""
    office = Browser(base)
    if not office.sign_in("admin@example.org", cluster.DEMO_PASSWORD):
        TALLY.error("the office's sign-in refused")
        return {"office": office}
    course = world["course"]
    office.submit_page_form("/reports/course_roster/",
                             {"course": str(course.pk), "format": "csv"})
    return {"office": office}


def mail_directory():
    return cluster.STATE / "mail"


def mail_count() -> int:
    return max((int(path.stem) for path in mail_directory().glob("*.eml")), default=0)


def received_message_ids(after_line: int) -> Counter:
    lines = (mail_directory() / "message-ids").read_text().splitlines()
    return Counter(lines[after_line:])


# --- What is killed ----------------------------------------------------------------------------
def until(predicate, timeout: float, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True


def clock() -> str:
    return time.strftime("%H:%M:%S UTC", time.gmtime())


def kill_and_restart(name: str, kills: list[str], pause: float = 2) -> None:
    component = cluster.node(name)
    component.kill()
    kills.append(name)
    print(f"  killed {name} (SIGKILL, whole process group) at {clock()}",
          flush=True)
    time.sleep(pause)
    component.start()
    print(f"  started {name} again at {clock()}", flush=True)


def main() -> int:
    began = time.monotonic()
    missing = [name for name, pid in cluster.status().items() if not pid]
    if missing:
        print(f"The cluster is not (wholly) up: {', '.join(missing)}. Run `make cluster`.")
        return 2
    os.environ.update(cluster.portal_env("drill"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cpd_portal.settings"
    import django

    django.setup()
    from django.db.models import Count

    from accounts.models import OutgoingMessage
    from accounts.services import outgoing_messages_dispatch
    from accounts.tasks import message_id
    from courses.models import Enrolment
    from credits.drills.services import drill_deliveries_scan, drill_learners_join
    from credits.models import Attendance, Certificate, CreditRecord, DrillAnswer, ExportRun

    run = time.strftime("%Y%m%d%H%M%S")
    base = f"http://{cluster.HOST}:{cluster.ports()['nginx']}"
    mail_lines_at_start = len((mail_directory() / "message-ids").read_text().splitlines())
    mail_from = mail_count()
    world = setup(run)
    world["browsers"] = {}
    course = world["course"]
    started_at = world["started_at"]
    done = Done()
    kills: list[str] = []
    print(f"drill {run}: {LEARNERS} learners on {base}; load {cat_loadavg()}", flush=True)

    # 1. Learners' journeys, with web-1 killed (and started again) while they run.
    with ThreadPoolExecutor(CLIENTS) as pool:
        journeys = [pool.submit(learner_journey, base, world, user, done)
                    for user in world["learners"]]
        office = pool.submit(office_work, base, world)
        until(lambda: TALLY.requests > LEARNERS * 3, timeout=120)
        kill_and_restart("web-1", kills, pause=5)
        for journey in journeys:
            journey.result()
        office = office.result()["office"]

    # 2. The drill's morning email to every learner, with the email worker killed mid-send.
    email_worker_killed = threading.Event()

    def kill_email_worker_mid_send():
        if until(lambda: OutgoingMessage.objects.filter(
                created_at__gte=started_at, status="sending").exists(), timeout=90, every=0.01):
            kill_and_restart("worker-email", kills)
        email_worker_killed.set()

    killer = threading.Thread(target=kill_email_worker_mid_send)
    killer.start()
    # Joined now, their questions are due at once: this scan (or the beat's drill tick, if it
    # comes first) emails them all in one batch.
    drill_learners_join(users=world["learners"], course=world["drill"])
    drill_deliveries_scan(course_ids=[world["drill"].pk], after_chunk=outgoing_messages_dispatch)
    outgoing_messages_dispatch()
    killer.join()

    # 3. Every certificate regenerated, with the certificate worker killed mid-batch.
    certificates = Certificate.objects.filter(course=course)
    until(lambda: certificates.filter(status="ready").count() >= len(done.claimed), timeout=180,
          every=0.5)
    office.submit_page_form(f"/review/courses/{course.pk}/certificates/")
    if until(lambda: certificates.filter(version=2, rendered_version=2).count() >= 3,
             timeout=120, every=0.02):
        kill_and_restart("worker-certificates", kills)

    # 4. The replica killed and started again. While it is down the dashboard (a routed read)
    # still answers, from the primary, and /healthz says so; once it streams again it says ok.
    port = cluster.ports()

    def replica_says(state: str) -> bool:
        answers = [requests.get(f"http://{cluster.HOST}:{port[n]}/healthz", timeout=10).json()
                   for n in ("web-1", "web-2")]
        return all(answer.get("replica", "").startswith(state) for answer in answers)

    cluster.node("postgres-replica").kill()
    kills.append("postgres-replica")
    print(f"  killed postgres-replica (SIGKILL, whole process group) at {clock()}", flush=True)
    replica_down_seen = until(lambda: replica_says("down"), timeout=30, every=0.5)
    dashboard_while_down = office.get("/reports/dashboard/") is not None
    cluster.node("postgres-replica").start()
    print(f"  started postgres-replica again at {clock()}", flush=True)
    replica_back = (until(cluster.PAIR.is_streaming, timeout=60, every=0.5)
                    and until(lambda: replica_says("ok"), timeout=30, every=0.5))

    # 5. Drill answers from the emails that arrived, while the rest settles.
    # A drill email in the batch of the killed email worker arrives after the claim lease.
    until(lambda: len(drill_answer_links(world, mail_from)) >= LEARNERS,
          timeout=SETTLE_SECONDS, every=2)
    drill_answers(base, world, mail_from, done)

    def settled() -> bool:
        mail = OutgoingMessage.objects.filter(created_at__gte=started_at)
        return (not mail.filter(status__in=("queued", "sending")).exists()
                and not certificates.exclude(status="ready").exists()
                and not certificates.filter(rendered_version__lt=2).exists()
                and not ExportRun.objects.filter(created_at__gte=started_at,
                                                 status__in=("queued", "running")).exists())

    settle_began = time.monotonic()
    settled_in_time = until(settled, timeout=SETTLE_SECONDS, every=2)
    settle_seconds = time.monotonic() - settle_began
    time.sleep(2)  # the last messages reach the sink

    # 6. What the load did against what exists.
    learners = [user.pk for user in world["learners"]]
    enrolments = Counter(Enrolment.objects.filter(
        course=course, user__in=learners, status=Enrolment.Status.ENROLLED)
        .values_list("user_id", flat=True))
    attendance = Counter(Attendance.objects.filter(session=world["session"], user__in=learners)
                         .values_list("user_id", flat=True))
    credit = Counter(CreditRecord.objects.filter(course=course, user__in=learners,
                                                 status=CreditRecord.Status.ACTIVE)
                     .values_list("user_id", flat=True))
    certificate_rows = list(certificates.filter(user__in=learners))
    answers = DrillAnswer.objects.filter(delivery__enrolment__user__in=learners)
    outgoing = list(OutgoingMessage.objects.filter(created_at__gte=started_at))
    expected_mail = {message_id(message) for message in outgoing}
    resent_after_crash = {message_id(message) for message in outgoing if message.attempts > 1}
    received = received_message_ids(mail_lines_at_start)
    exports = ExportRun.objects.filter(created_at__gte=started_at)
    lost = {
        "enrolments": len(done.enrolled - set(enrolments)),
        "attendance": len(done.checked_in - set(attendance)),
        "credit_records": len(done.claimed - set(credit)),
        "certificates": (len(done.claimed - {c.user_id for c in certificate_rows})
                         + sum(1 for c in certificate_rows
                               if c.status != "ready" or c.rendered_version != c.version)),
        "emails": len(expected_mail - set(received)),
        "drill_answers": max(0, len(done.answered) - answers.count()),
        "exports": exports.exclude(status="done").count(),
    }
    duplicated = {
        "enrolments": sum(n - 1 for n in enrolments.values()),
        "attendance": sum(n - 1 for n in attendance.values()),
        "credit_records": sum(n - 1 for n in credit.values()),
        # attempts counts committed renders: one per version.
        "certificates": sum(max(0, c.attempts - c.version) for c in certificate_rows),
        # A second copy of a message whose row says it may have gone out (handed to the mail
        # server when its worker died, so sent again under the same Message-ID) is the crash
        # window's, which a receiver drops by its Message-ID (docs/email.md); any other is one.
        "emails": sum(n - 1 for message, n in received.items()
                      if message in expected_mail and message not in resent_after_crash),
        "drill_answers": answers.values("delivery").annotate(n=Count("pk"))
                                .filter(n__gt=1).count(),
    }
    failed_mail = sum(1 for message in outgoing if message.status == "failed")
    crash_window_copies = sum(n - 1 for message, n in received.items()
                              if message in resent_after_crash)

    # 7. The same data through either web node, directly.
    mismatched = 0
    for user_pk, browser in list(world["browsers"].items())[:10]:
        pages = []
        for node in ("web-1", "web-2"):
            direct = Browser(f"http://{cluster.HOST}:{port[node]}")
            direct.session.cookies = browser.session.cookies
            transcript = direct.get("/transcript/")
            certificate = certificates.filter(user_id=user_pk).first()
            pdf = direct.get(f"/certificates/{certificate.pk}/download/") if certificate else None
            pages.append((course.title in (transcript.text if transcript else ""),
                          pdf.status_code if pdf else None))
        mismatched += pages[0] != pages[1] or not pages[0][0]
    nodes_named = {requests.get(f"http://{cluster.HOST}:{port[n]}/healthz", timeout=10).json()
                   ["node"] for n in ("web-1", "web-2")}

    errors = len(TALLY.errors)
    total_lost, total_duplicated = sum(lost.values()), sum(duplicated.values())
    for error, times in Counter(re.sub(r"\d+", "N", error) for error in TALLY.errors).items():
        print(f"  error x{times}: {error}")
    print(f"learners={LEARNERS} enrolled={len(done.enrolled)} checked_in={len(done.checked_in)} "
          f"claimed={len(done.claimed)} drill_answers={len(done.answered)} "
          f"certificates={len(certificate_rows)} emails_expected={len(expected_mail)} "
          f"emails_received={sum(received.values())} exports={exports.count()}")
    print(f"replica_down_in_healthz={replica_down_seen} "
          f"dashboard_while_replica_down={dashboard_while_down}")
    print(f"killed={','.join(kills)} replica_streaming_again={replica_back} "
          f"settled={settled_in_time} settle_seconds={settle_seconds:.0f} "
          f"emails_failed={failed_mail} emails_resent_uncertain={len(resent_after_crash)} "
          f"crash_window_copies_dropped_by_message_id={crash_window_copies}")
    print(f"same_data_through_either_node={mismatched == 0} nodes={','.join(sorted(nodes_named))}")
    print("lost_by_kind=" + ",".join(f"{k}:{v}" for k, v in lost.items()))
    print("duplicated_by_kind=" + ",".join(f"{k}:{v}" for k, v in duplicated.items()))
    print(f"load={cat_loadavg()} seconds={time.monotonic() - began:.0f}")
    print(f"requests={TALLY.requests} retried={TALLY.retried}")
    print(f"errors={errors}")
    print(f"lost={total_lost}")
    print(f"duplicated={total_duplicated}")
    everything_ok = (errors == 0 and total_lost == 0 and total_duplicated == 0 and mismatched == 0
                     and settled_in_time and len(set(kills)) == 4 and replica_back
                     and len(done.answered) == LEARNERS
                     and replica_down_seen and dashboard_while_down)
    return 0 if everything_ok else 1


def cat_loadavg() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


if __name__ == "__main__":
    sys.exit(main())

"""Where a learner stands in an activity's SCORM package: each SCO's latest attempt."""
from dataclasses import dataclass

from django.db.models import Max, Subquery

from accounts.models import User
from courses.models import Course
from courses.packages.models import ContentPackage
from courses.packages.selectors import package_current_for

from .models import ScoAttempt, ScoCommit


@dataclass
class ScoStep:
    number: int  # 1-based position in the package, as the player's URL names it
    identifier: str
    title: str
    satisfied: bool
    started: bool


@dataclass
class PackageState:
    package: ContentPackage
    steps: list[ScoStep]

    @property
    def satisfied(self) -> bool:
        return all(step.satisfied for step in self.steps)

    @property
    def next_step(self) -> ScoStep:
        return next((step for step in self.steps if not step.satisfied), self.steps[0])


def package_state_for(*, user: User, course: Course) -> PackageState | None:
    """The published package's SCOs and whether the learner has satisfied each (in any version
    of the package: a new version does not take away what was done). One query without a
    package, two with one."""
    package = package_current_for(course=course)
    if package is None:
        return None
    done, started = set(), set()
    if user.is_authenticated:
        for identifier, satisfied in (ScoAttempt.objects.filter(user=user, course=course)
                                      .values_list("sco_identifier", "satisfied_at")):
            started.add(identifier)
            if satisfied is not None:
                done.add(identifier)
    return PackageState(package=package, steps=[
        ScoStep(number=number, identifier=sco["identifier"], title=sco["title"],
                satisfied=sco["identifier"] in done, started=sco["identifier"] in started)
        for number, sco in enumerate(package.scos, start=1)])


def sco_attempt_for_owner(*, user: User, attempt_id: int) -> ScoAttempt | None:
    return (ScoAttempt.objects.filter(pk=attempt_id, user=user)
            .select_related("package", "course").first())


@dataclass
class ScoFigures:
    identifier: str
    title: str
    learners_started: int
    learners_done: int
    learners_passed: int
    # Learners by their best score, in tenths: "0–9%", "10–19%", ... "90–100%".
    score_buckets: list[tuple[str, int]]
    median_minutes: int | None


def _median(values: list[int]) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return (ordered[middle] if len(ordered) % 2
            else round((ordered[middle - 1] + ordered[middle]) / 2))


def package_figures_for(*, course: Course) -> list[ScoFigures]:
    """Per SCO of the published package: learners who started, are done and passed, their
    best scores in tenths and the median time they spent (all attempts, all versions). One
    query for the attempts (plus the package)."""
    package = package_current_for(course=course)
    if package is None:
        return []
    by_sco: dict[str, dict[int, list[ScoAttempt]]] = {}
    for attempt in ScoAttempt.objects.filter(course=course).only(
            "user_id", "sco_identifier", "satisfied_at", "lesson_status", "success_status",
            "score_percent", "seconds_spent"):
        by_sco.setdefault(attempt.sco_identifier, {}).setdefault(attempt.user_id,
                                                                 []).append(attempt)
    figures = []
    for sco in package.scos:
        learners = by_sco.get(sco["identifier"], {})
        buckets = [0] * 10
        for attempts in learners.values():
            scores = [a.score_percent for a in attempts if a.score_percent is not None]
            if scores:
                buckets[min(int(max(scores) // 10), 9)] += 1
        figures.append(ScoFigures(
            identifier=sco["identifier"], title=sco["title"], learners_started=len(learners),
            learners_done=sum(any(a.satisfied for a in attempts)
                              for attempts in learners.values()),
            learners_passed=sum(any("passed" in (a.lesson_status, a.success_status)
                                    for a in attempts) for attempts in learners.values()),
            score_buckets=[(f"{10 * n}–{10 * n + 9 if n < 9 else 100}%", count)
                           for n, count in enumerate(buckets)],
            median_minutes=_median([round(sum(a.seconds_spent for a in attempts) / 60)
                                    for attempts in learners.values()])))
    return figures


def package_attempts_for(*, course: Course) -> list[ScoAttempt]:
    """Every learner's attempts, newest first, for the director's list."""
    return list(ScoAttempt.objects.filter(course=course).select_related("user", "package")
                .order_by("user__full_name", "sco_identifier", "-number"))


def sco_attempt_with_commits(*, course: Course, attempt_id: int) -> ScoAttempt | None:
    attempt = (ScoAttempt.objects.filter(course=course, pk=attempt_id)
               .select_related("user", "package").first())
    if attempt is not None:
        attempt.commit_list = list(attempt.commits.order_by("received_at", "pk"))
    return attempt


def interactions_of(cmi: dict) -> list[dict]:
    """The interactions a commit reports (SCORM 1.2 student_response, 2004 learner_response),
    in the order the SCO numbered them."""
    reported = cmi.get("interactions") or {}
    items = reported.values() if isinstance(reported, dict) else reported
    return [{"id": item.get("id", ""), "type": item.get("type", ""),
             "response": item.get("learner_response", item.get("student_response", "")),
             "result": item.get("result", "")}
            for item in items if isinstance(item, dict)]


@dataclass
class ReportedInteraction:
    """A question and the learner's answer as a package reported it, for the export."""
    learner: User
    version: int
    part: str
    attempt: int
    question: str
    kind: str
    response: str
    result: str
    reported_at: object


def package_interactions_for(*, course: Course) -> list[ReportedInteraction]:
    """The interactions of each SCORM attempt's last commit (what the attempt page shows), by
    learner, part and attempt. Two queries whatever the number of attempts."""
    last_commits = (ScoCommit.objects.filter(attempt__course=course).values("attempt")
                    .annotate(last=Max("pk")).values("last"))
    rows = []
    for commit in (ScoCommit.objects.filter(pk__in=Subquery(last_commits))
                   .select_related("attempt__user", "attempt__package")
                   .order_by("attempt__user__full_name", "attempt__sco_identifier",
                             "attempt__number")):
        attempt = commit.attempt
        titles = {sco["identifier"]: sco["title"] for sco in attempt.package.scos}
        rows += [ReportedInteraction(
            learner=attempt.user, version=attempt.package.version,
            part=titles.get(attempt.sco_identifier, attempt.sco_identifier),
            attempt=attempt.number, question=str(item["id"]), kind=str(item["type"]),
            response=str(item["response"]), result=str(item["result"]),
            reported_at=commit.received_at) for item in interactions_of(commit.cmi)]
    return rows

"""Where a learner stands in an activity's SCORM package: each SCO's latest attempt."""
from dataclasses import dataclass

from accounts.models import User
from courses.models import Course
from courses.packages.models import ContentPackage
from courses.packages.selectors import package_current_for

from .models import ScoAttempt


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

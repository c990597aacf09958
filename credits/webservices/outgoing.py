"""What each submission sends, built from the rows when it is sent (so a learner's corrected
profile is what goes out), or the refusal to record without calling the service when the
profile lacks what the service needs."""
import datetime
from decimal import Decimal

from accounts.models import Licence, User
from courses.credittypes.models import Profession
from courses.models import Course
from credits.webservices.ce_broker import CourseMessage, PublishingMessage, RosterLine
from credits.webservices.models import Submission
from credits.webservices.pars import ActivityRecord, LearnerRecord
from credits.webservices.transport import Answer, Outcome


def _mmddyyyy(value: str | datetime.date) -> str:
    date = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return date.strftime("%m/%d/%Y")


def _names(user: User) -> tuple[str, str]:
    first, _, last = user.full_name.strip().rpartition(" ")
    return (first, last) if first else ("", last)


def _licence(user: User, profession: str) -> Licence | None:
    return (Licence.objects.filter(user=user, profession=profession)
            .order_by("-expires_on").first())


def _course_dates(course: Course) -> tuple[str, str]:
    sessions = list(course.sessions.order_by("starts_at").values_list("starts_at", flat=True))
    if sessions:
        return _mmddyyyy(sessions[0].date()), _mmddyyyy(sessions[-1].date())
    start = course.created_at.date()
    return _mmddyyyy(start), _mmddyyyy(start)


def pars_activity(submission: Submission) -> ActivityRecord:
    course = submission.course
    values = submission.values
    start, end = _course_dates(course)
    return ActivityRecord(
        provider_activity_id=str(course.pk), title=course.title,
        activity_type="Course" if course.format == Course.Format.LIVE
        else "Internet Enduring Material",
        start_date=start, end_date=end, max_credits=Decimal(values.get("max_credits", "0")),
        moc_board=values.get("moc_board", ""),
        moc_points=Decimal(values["moc_points"]) if values.get("moc_points") else None)


def pars_identity(user: User) -> dict:
    """The learner's fields PARS matches on; a change after a rejection sends the record again."""
    licence = _licence(user, "physician")
    return {"dob": f"{user.birth_month or 0:02d}/{user.birth_day or 0:02d}",
            "state": licence.state if licence else "", "licence": licence.number if licence else "",
            "npi": user.npi, "board": user.certifying_board, "board_id": user.board_id}


def pars_learner(submission: Submission) -> LearnerRecord | Answer:
    user, values = submission.user, submission.values
    if not user.consents_to_credit_reporting:
        return Answer(Outcome.REJECTED, "NO_CONSENT", "You have not agreed to your credit being "
                      "reported to ACCME and your board (your profile).", fix_by="learner")
    identity = pars_identity(user)
    first, last = _names(user)
    moc = Decimal(values.get("moc_points", "0"))
    missing = []
    if not (user.birth_month and user.birth_day):
        missing.append("birth month and day")
    if not first:
        missing.append("first and last name")
    if moc and not (identity["board"] and identity["board_id"]):
        missing.append("certifying board and board ID")
    if not moc and not (identity["licence"] or identity["npi"]):
        missing.append("licence or NPI")
    if missing:
        return Answer(Outcome.REJECTED, "PROFILE_INCOMPLETE",
                      f"Your profile lacks your {', '.join(missing)}, which ACCME PARS needs "
                      f"to match you.", fix_by="learner")
    return LearnerRecord(
        first_name=first, last_name=last, birth_mmdd=identity["dob"],
        completion_date=_mmddyyyy(values["completed_on"]),
        licensing_state=identity["state"], licence_id=identity["licence"], npi=identity["npi"],
        cme_credits=Decimal(values.get("cme_credits", "0")), board=identity["board"],
        board_id=identity["board_id"], moc_points=moc)


def ce_broker_course(submission: Submission) -> CourseMessage:
    course = submission.course
    return CourseMessage(provider_course_code=str(course.pk), name=course.title,
                         hours=Decimal(submission.values.get("hours", "0")),
                         live=course.format == Course.Format.LIVE)


def ce_broker_publishing(submission: Submission, *, id_course: str) -> PublishingMessage:
    return PublishingMessage(id_course=id_course, date=_mmddyyyy(submission.live_date))


def ce_broker_identity(user: User) -> dict:
    licence = _licence(user, user.profession)
    # The office's code for the profession (Admin → Professions), so a profession added there
    # is reported without a deploy.
    code = (Profession.objects.filter(code=user.profession)
            .values_list("ce_broker_code", flat=True).first())
    return {"licence": licence.number if licence else "", "state": licence.state if licence else "",
            "profession": code or ""}


def ce_broker_roster(submission: Submission, *, id_course: str,
                     id_publishing: str) -> RosterLine | Answer:
    user, values = submission.user, submission.values
    identity = ce_broker_identity(user)
    if not identity["profession"]:
        return Answer(Outcome.REJECTED, "PROFESSION_NOT_REPORTED",
                      "CE Broker does not take credit for your profession from the portal.",
                      fix_by="office")
    if not identity["licence"]:
        return Answer(Outcome.REJECTED, "LICENCE_MISSING",
                      "Your profile has no licence for your profession, which CE Broker needs.",
                      fix_by="learner")
    first, last = _names(user)
    return RosterLine(id_course=id_course, id_publishing=id_publishing,
                      licence=identity["licence"], profession_code=identity["profession"],
                      state=identity["state"], first_name=first, last_name=last,
                      completed_on=_mmddyyyy(values["completed_on"]),
                      hours=Decimal(values["hours"]))


def identity_for(submission: Submission) -> dict:
    if submission.kind == Submission.Kind.PARS_LEARNER:
        return {**pars_identity(submission.user),
                "consent": submission.user.consents_to_credit_reporting}
    if submission.kind == Submission.Kind.CEB_ROSTER:
        return ce_broker_identity(submission.user)
    return {}

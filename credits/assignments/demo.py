"""Demo content for assigned learning and the CME office's dashboard: the online module
*Infection Prevention and Control: Annual Update* (four lessons, a six-question post-test),
assigned to every clinician as annual required training due in two weeks (Dr Raman has not
done it yet); a year of history from forty demo colleagues (credit claimed month by month,
Massachusetts physician licences, an opioid-education assignment with done, in-progress and
overdue learners). Idempotent: everything is keyed on slugs, emails and positions.
"""
import datetime
import random
from decimal import Decimal

from django.utils import timezone

from accounts.models import Licence, User
from accounts.roles import Role
from accounts.services import user_role_grant
from courses.credit_types import CreditType
from courses.lessons.markdown import render_lesson_markdown
from courses.lessons.models import Lesson
from courses.models import Course, CreditDesignation
from courses.questions.models import PostTest, Question, QuestionOption
from credits.assignments.models import Assignment
from credits.assignments.services import assignment_completions_record, assignment_create
from credits.ledger.models import CreditRecord
from credits.online.models import ModuleProgress

COURSE_SLUG = "infection-control-annual-update"
CDC_ISOLATION = ("Siegel JD, et al. 2007 Guideline for Isolation Precautions: Preventing "
                 "Transmission of Infectious Agents in Healthcare Settings. CDC/HICPAC, "
                 "updated 2023.")
WHO_HH = "WHO Guidelines on Hand Hygiene in Health Care, 2009 (My 5 Moments for Hand Hygiene)."

LESSONS = [
    ("Hand hygiene: the five moments", 5, """
Hand hygiene is the single most effective way to prevent healthcare-associated infection.
Clean your hands at each of the **five moments**:

1. before touching a patient,
2. before a clean or aseptic procedure,
3. after body-fluid exposure risk,
4. after touching a patient,
5. after touching the patient's surroundings.

Use **alcohol-based hand rub** unless hands are visibly soiled or the patient has
*C. difficile* or norovirus: then wash with soap and water (alcohol does not kill spores).
"""),
    ("Standard and transmission-based precautions", 6, """
**Standard precautions** apply to every patient: hand hygiene, gloves for contact with blood
or body fluids, eye protection when splashes are likely, safe injection practice.

| Precaution | For | Wear |
| --- | --- | --- |
| Contact | MRSA, VRE, *C. difficile*, scabies | Gown and gloves |
| Droplet | Influenza, pertussis, meningococcus | Surgical mask within 2 m |
| Airborne | Tuberculosis, measles, varicella | N95 respirator, negative-pressure room |

Put personal protective equipment on before entering the room; take gloves and gown off
before leaving it, and clean your hands straight after.
"""),
    ("Preventing line and catheter infections", 5, """
Central-line bundles cut bloodstream infections by more than half. At every line:

- clean hands and scrub the hub for 15 seconds with chlorhexidine-alcohol, let it dry;
- change transparent dressings every 7 days, gauze every 2 days, or sooner if soiled;
- **ask every day whether the line (or urinary catheter) is still needed**.

A urinary catheter is for retention, strict output monitoring in critical illness or
peri-operative use, not for convenience.
"""),
    ("Sharps injuries and exposure to blood", 4, """
After a needlestick or splash: wash the area with soap and water (eyes: irrigate with water),
**report it at once** to Occupational Health or the emergency department, and do not wait
for the end of the shift. HIV post-exposure prophylaxis works best within 2 hours.

Never recap a used needle; activate the safety device and drop it into a sharps container
that is less than three-quarters full.
"""),
]

QUESTIONS = [
    ("single", "A patient has C. difficile diarrhoea. How should you clean your hands after "
     "leaving the room?",
     [("Alcohol-based hand rub", False), ("Soap and water", True),
      ("Chlorhexidine wipes", False), ("Gloves are enough", False)],
     "Alcohol does not kill C. difficile spores: wash with soap and water.", CDC_ISOLATION),
    ("single", "Which precautions does a patient with suspected pulmonary tuberculosis need?",
     [("Contact", False), ("Droplet", False), ("Airborne", True), ("Standard only", False)],
     "TB is airborne: an N95 respirator and a negative-pressure room.", CDC_ISOLATION),
    ("multiple", "Which are among the WHO five moments for hand hygiene? Choose all that apply.",
     [("Before touching a patient", True), ("After touching the patient's surroundings", True),
      ("Before a clean or aseptic procedure", True), ("Before charting", False)],
     "Charting is not one of the five moments; the other three are.", WHO_HH),
    ("single", "How long should you scrub a central-line hub before accessing it?",
     [("2 seconds", False), ("15 seconds", True), ("2 minutes", False), ("No scrub needed",
                                                                        False)],
     "A 15-second scrub with chlorhexidine-alcohol, then let it dry.", CDC_ISOLATION),
    ("single", "You sustain a needlestick from an HIV-positive patient. When is post-exposure "
     "prophylaxis most effective?",
     [("Within 2 hours", True), ("Within 7 days", False), ("After the first test result",
                                                           False),
      ("At the end of the shift", False)],
     "Start PEP as soon as possible, ideally within 2 hours: report the injury at once.",
     "US PHS Guidelines for occupational exposures to HIV, 2013 (updated 2018)."),
    ("single", "When do you remove gown and gloves after caring for a patient on contact "
     "precautions?",
     [("Before leaving the room", True), ("At the nurses' station", False),
      ("At the end of the shift", False), ("When visibly soiled only", False)],
     "Take them off inside the room and clean your hands, so you do not carry organisms out.",
     CDC_ISOLATION),
]

COLLEAGUES = [
    # name, degree, profession, specialty, Massachusetts physician licence
    ("Jordan Ellis", "RN", "nurse", "Critical care", False),
    ("Ana Costa", "PharmD", "pharmacist", "Clinical pharmacy", False),
    ("Sam Okafor", "MD", "physician", "Cardiology", True),
    ("Grace Liu", "MD", "physician", "Hospital medicine", True),
    ("Daniel Brennan", "MD", "physician", "Emergency medicine", True),
    ("Fatima Haddad", "DO", "physician", "Internal medicine", True),
    ("Miguel Alvarez", "MD", "physician", "Cardiology", True),
    ("Hannah Goldberg", "MD", "physician", "Hospital medicine", True),
    ("Kwame Mensah", "MD", "physician", "Critical care", True),
    ("Olivia Byrne", "MD", "physician", "Internal medicine", True),
    ("Ravi Iyer", "MD", "physician", "Emergency medicine", True),
    ("Elena Petrova", "MD", "physician", "Hospital medicine", True),
    ("Thomas Whelan", "MD", "physician", "Internal medicine", True),
    ("Aisha Bello", "MD", "physician", "Critical care", True),
    ("Nora Sullivan", "RN", "nurse", "Critical care", False),
    ("Luis Romero", "RN", "nurse", "Emergency nursing", False),
    ("Chloe Martin", "RN", "nurse", "Medical-surgical nursing", False),
    ("Isaac Cohen", "RN", "nurse", "Critical care", False),
    ("Mei Tanaka", "RN", "nurse", "Oncology nursing", False),
    ("Samuel Greene", "RN", "nurse", "Medical-surgical nursing", False),
    ("Priscilla Adams", "RN", "nurse", "Emergency nursing", False),
    ("Victor Nguyen", "RN", "nurse", "Critical care", False),
    ("Rachel Kim", "NP", "nurse", "Hospital medicine", False),
    ("Ben Foster", "RN", "nurse", "Medical-surgical nursing", False),
    ("Laila Rahman", "PharmD", "pharmacist", "Clinical pharmacy", False),
    ("Peter Novak", "PharmD", "pharmacist", "Oncology pharmacy", False),
    ("Julia Santos", "PharmD", "pharmacist", "Clinical pharmacy", False),
    ("Owen Price", "PA-C", "physician_assistant", "Emergency medicine", False),
    ("Maya Patel", "PA-C", "physician_assistant", "Hospital medicine", False),
    ("Ethan Ross", "PA-C", "physician_assistant", "Cardiology", False),
    ("Zoe Clarke", "RN", "nurse", "Critical care", False),
    ("Adam Fischer", "MD", "physician", "Anesthesiology", True),
    ("Sofia Moretti", "MD", "physician", "Emergency medicine", True),
    ("Henry Wallace", "MD", "physician", "Internal medicine", True),
    ("Amara Okeke", "RN", "nurse", "Oncology nursing", False),
    ("Lucas Weber", "RN", "nurse", "Emergency nursing", False),
    ("Ivy Chen", "MD", "physician", "Hospital medicine", True),
    ("Noah Schwartz", "MD", "physician", "Cardiology", True),
    ("Esther Mwangi", "RN", "nurse", "Medical-surgical nursing", False),
    ("Carlos Mendes", "MD", "physician", "Critical care", True),
]

CREDIT_TYPE_FOR = {"physician": CreditType.AMA_PRA_1, "nurse": CreditType.ANCC,
                   "pharmacist": CreditType.ACPE, "physician_assistant": CreditType.AAPA_1}


def _course(educator: User) -> Course:
    today = timezone.localdate()
    course, _ = Course.objects.update_or_create(slug=COURSE_SLUG, defaults={
        "title": "Infection Prevention and Control: Annual Update",
        "summary": "The hospital's annual required infection-control module: hand hygiene, "
                   "isolation precautions, line care and sharps injuries, in 20 minutes.",
        "description": "Self-paced enduring material: four short lessons and a six-question "
                       "post-test. Required every year for everyone with patient contact.",
        "learning_objectives": "Clean hands at the five moments with the right method\n"
                               "Choose contact, droplet or airborne precautions\n"
                               "Act at once after a sharps injury",
        "format": Course.Format.ENDURING, "status": Course.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(days=300),
        "release_date": today - datetime.timedelta(days=300),
        "termination_date": today - datetime.timedelta(days=300) + datetime.timedelta(days=1000),
        "evaluation_required": False})
    course.directors.add(educator)
    for credit_type in (CreditType.AMA_PRA_1, CreditType.ANCC):
        CreditDesignation.objects.update_or_create(course=course, credit_type=credit_type,
                                                   defaults={"max_credits": Decimal("0.50")})
    for position, (title, minutes, body) in enumerate(LESSONS, start=1):
        Lesson.objects.update_or_create(course=course, position=position, defaults={
            "title": title, "estimated_minutes": minutes, "body": body.strip(),
            "body_html": render_lesson_markdown(body.strip()),
            "status": Lesson.Status.PUBLISHED})
    for position, (kind, stem, options, rationale, reference) in enumerate(QUESTIONS, start=1):
        question, created = Question.objects.update_or_create(
            course=course, position=position, defaults={
                "kind": kind, "stem": stem, "rationale": rationale, "reference": reference})
        if created:
            QuestionOption.objects.bulk_create([
                QuestionOption(question=question, text=text, is_correct=correct, position=n)
                for n, (text, correct) in enumerate(options, start=1)])
    PostTest.objects.update_or_create(course=course, defaults={
        "passing_percent": 80, "max_attempts": None, "shuffle": True, "pool_size": None})
    return course


def _colleagues() -> list[User]:
    users = []
    for index, (name, degree, profession, specialty, ma_licence) in enumerate(COLLEAGUES):
        email = name.lower().replace(" ", ".") + "@staff.example.net"
        user, created = User.objects.update_or_create(email=email, defaults={
            "full_name": name, "degree": degree, "profession": profession,
            "specialty": specialty})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user_role_grant(user=user, role=Role.CLINICIAN)
        if ma_licence:
            expires = datetime.date(2027, 1 + index % 12, 1 + index % 27)
            Licence.objects.update_or_create(user=user, state="MA", profession="physician",
                                             defaults={"number": f"2{index:05d}",
                                                       "expires_on": expires})
        users.append(user)
    return users


def _history(users: list[User], courses: list[Course]) -> None:
    """A year of claimed credit: a few activities per colleague per season."""
    if CreditRecord.objects.filter(user__in=users).exists():
        return
    rng = random.Random(2026)
    now = timezone.now()
    records = []
    for user in users:
        credit_type = CREDIT_TYPE_FOR.get(user.profession, CreditType.PARTICIPATION)
        for course in rng.sample(courses, k=min(len(courses), rng.randint(2, 5))):
            claimed = now - datetime.timedelta(days=rng.randint(3, 350), hours=rng.randint(0, 9))
            records.append(CreditRecord(
                user=user, course=course, credit_type=credit_type,
                amount=Decimal(rng.choice(["1.00", "1.50", "2.00", "3.00", "4.00", "6.00"])),
                completed_on=timezone.localdate(claimed) - datetime.timedelta(days=1),
                claimed_at=claimed, source=CreditRecord.Source.CLAIM))
    CreditRecord.objects.bulk_create(records)


def _external_certificate_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>Massachusetts Medical Society</h1><p>Certificate of completion: "
                       "Risk management and Board-mandated topics (demo).</p>").write_pdf()


def _board_topics_for_physicians(physicians: list[User]) -> None:
    """Outside CME the learners recorded themselves: a Board-topics bundle (every mandated
    topic) for some, a conference for others, so the compliance figure has all three states."""
    from django.core.files.base import ContentFile

    from courses.models import Topic
    from credits.ledger.models import ExternalActivity

    if ExternalActivity.objects.filter(user__in=physicians).exists():
        return
    pdf = _external_certificate_pdf()
    board_topics = list(Topic.objects.filter(slug__in=[
        "risk-management", "opioid-pain-management", "board-regulations", "implicit-bias",
        "end-of-life-care", "electronic-health-records"]))
    today = timezone.localdate()
    for index, user in enumerate(physicians[:12]):
        bundle = index < 5
        activity = ExternalActivity(
            user=user, provider="Massachusetts Medical Society" if bundle else "American "
            "College of Physicians", title="Board-mandated topics bundle" if bundle else
            "Internal Medicine Meeting 2026", completed_on=today - datetime.timedelta(
                days=40 + 11 * index), credit_type=CreditType.AMA_PRA_1,
            amount=Decimal("45.00") if bundle else Decimal("32.00"),
            verified_at=timezone.now())
        activity.certificate.save("certificate.pdf", ContentFile(pdf), save=False)
        activity.save()
        if bundle:
            activity.topics.set(board_topics)
        CreditRecord.objects.create(
            user=user, external_activity=activity, credit_type=activity.credit_type,
            amount=activity.amount, completed_on=activity.completed_on,
            claimed_at=timezone.now() - datetime.timedelta(days=38 + 11 * index),
            source=CreditRecord.Source.EXTERNAL)


def seed(people: dict) -> None:
    clinician, educator, admin = people["Clinician"], people["Educator"], people["Administrator"]
    today = timezone.localdate()
    infection = _course(educator)
    colleagues = _colleagues()
    others = list(Course.objects.filter(status=Course.Status.PUBLISHED)
                  .exclude(pk=infection.pk).order_by("pk"))
    _history(colleagues, others)
    _board_topics_for_physicians([user for user in colleagues if user.profession == "physician"])

    # Most colleagues already did this year's module: it counts for the new assignment.
    for user in colleagues[::3] + colleagues[1::3]:
        done_on = today - datetime.timedelta(days=10 + user.pk % 150)
        ModuleProgress.objects.get_or_create(user=user, course=infection, defaults={
            "started_at": timezone.now() - datetime.timedelta(days=200),
            "completed_at": timezone.now() - datetime.timedelta(days=(today - done_on).days),
            "completed_on": done_on})
    if not Assignment.objects.filter(course=infection).exists():
        assignment_create(created_by=admin, course=infection,
                          title="Annual infection control 2026–27",
                          target=Assignment.Target.ROLE, target_value=Role.CLINICIAN,
                          due=Assignment.Due.FIXED, due_on=today + datetime.timedelta(days=14),
                          recurrence=Assignment.Recurrence.ANNUAL)

    opioid = Course.objects.filter(slug="safe-opioid-prescribing").first()
    if opioid is not None and not Assignment.objects.filter(course=opioid).exists():
        physicians = [user for user in colleagues if user.profession == "physician"]
        for user in physicians[:9]:
            done_on = today - datetime.timedelta(days=5 + user.pk % 40)
            ModuleProgress.objects.get_or_create(user=user, course=opioid, defaults={
                "started_at": timezone.now() - datetime.timedelta(days=60),
                "completed_at": timezone.now() - datetime.timedelta(days=(today - done_on).days),
                "completed_on": done_on})
        assignment = assignment_create(
            created_by=admin, course=opioid, title="Opioid education for Massachusetts "
            "prescribers", target=Assignment.Target.LICENCE_STATE, target_value="MA",
            due=Assignment.Due.FIXED, due_on=today)
        # Assigned six weeks ago and due last week (Dr Raman was given an extension): the
        # dashboard shows who is overdue.
        assignment.members.exclude(user=clinician).filter(user__in=physicians[14:]).update(
            due_on=today - datetime.timedelta(days=7))
        assignment.members.filter(user=clinician).update(due_on=today + datetime.timedelta(
            days=30))
        assignment.members.update(assigned_on=today - datetime.timedelta(days=42))
        Assignment.objects.filter(pk=assignment.pk).update(
            due_on=today - datetime.timedelta(days=7))
    assignment_completions_record()

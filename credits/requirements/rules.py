"""Reference licence rules seeded for every installation, each with its source and the date it
was read. The CME office keeps them current in the admin (a board's change is a new set with the
date it takes effect); this only fills a missing (state, profession), so an administrator's
edits, or a set they retired, are never overwritten.

Where the portal cannot count part of a board's rule (Category 2 credit earned elsewhere, a
training with no hours set, a licence level the profile does not hold), the set tracks the part
it can and its source note says what is left out; figures taken from secondary summaries rather
than the regulation's text say so.
"""
import datetime
from decimal import Decimal

from courses.topics import STANDARD_TOPICS

# Seeded sets were in force before the portal knew them: their date is earlier than any credit.
IN_FORCE_BEFORE_SEEDING = datetime.date(2000, 1, 1)
SOURCES_READ_ON = datetime.date(2026, 12, 7)
LICENCE_EXPIRY, BIRTHDAY, CALENDAR_YEARS = "licence_expiry", "birthday", "calendar_years"

# Topics boards mandate beyond the standard ones (slug, name).
EXTRA_TOPICS = [
    ("pharmacy-law", "Pharmacy law"),
    ("anti-racism", "Anti-racism"),
    ("anti-discrimination", "Anti-discrimination"),
]

MASSACHUSETTS_PHYSICIANS = {
    "state": "MA", "profession": "physician", "name": "Massachusetts physician licence renewal",
    "cycle_months": 24, "cycle_anchor": LICENCE_EXPIRY, "total_credits": "50",
    "accepted_credit_types": ["ama_pra_1"],
    "source_url": "https://www.mass.gov/doc/borim-cme-requirements-pdf/download",
    "source_note": (
        "Massachusetts Board of Registration in Medicine (243 CMR 2.06), as summarised by public "
        "secondary sources (Massachusetts Medical Society, CME provider guides): at least 50 CME "
        "credits every two years, due at renewal on the physician's licence expiry date. Credits "
        "must come from an organisation accredited by the ACCME, AOA or AAFP (or an "
        "ACCME-recognised state medical society); the portal counts AMA PRA Category 1 Credit™, "
        "the type its own activities award. AOA, AAFP and Category 2 credit, point-of-care "
        "learning, the 1-hour Alzheimer's disease requirement and the child abuse, domestic and "
        "sexual violence trainings are not tracked here. Opioid education applies to physicians "
        "who prescribe controlled substances. Check the Board's current rules before renewal."),
    "topics": [
        # (topic slug, minimum credits, one time)
        ("risk-management", "10", False),
        ("opioid-pain-management", "3", False),
        ("board-regulations", "2", False),
        ("implicit-bias", "2", False),
        ("end-of-life-care", "2", True),
        ("electronic-health-records", "3", True),
    ],
}

REFERENCE_RULES = [
    MASSACHUSETTS_PHYSICIANS,
    {"state": "MA", "profession": "nurse", "name": "Massachusetts nurse licence renewal",
     "cycle_months": 24, "cycle_anchor": BIRTHDAY, "total_credits": "15",
     "accepted_credit_types": ["ancc"],
     "source_url": "https://www.mass.gov/info-details/mandatory-continuing-education-for-nurses",
     "source_note": (
         "Board of Registration in Nursing, 244 CMR 5.00 (Mass.gov, 'Mandatory Continuing "
         "Education for nurses'): 15 contact hours in the two years before renewal; RNs renew on "
         "their birthday in even years, LPNs in odd years; no requirement at the first renewal "
         "(not modelled: the portal shows the full 15). The portal counts ANCC contact hours. The "
         "one-time domestic and sexual violence training (M.G.L. c. 112, § 264) and the one-time "
         "Alzheimer's training set no hours and are not tracked.")},
    {"state": "MA", "profession": "pharmacist", "name": "Massachusetts pharmacist licence renewal",
     "cycle_months": 24, "cycle_anchor": LICENCE_EXPIRY, "total_credits": "40",
     "live_minimum": "10", "accepted_credit_types": ["acpe"],
     "source_url": "https://www.rxconsultant.com/states/massachusetts/",
     "source_note": (
         "Board of Registration in Pharmacy, 247 CMR 4.03. Figures from a secondary summary "
         "(RxConsultant), NOT confirmed against the regulation's text: 40 contact hours per "
         "two-year term, 10 of them live, 4 in pharmacy law, half in each year; licences renew "
         "on 31 December of even years. The half-per-year rule and the extra hours for "
         "collaborative practice, immunisation and compounding are not tracked. The portal "
         "counts ACPE contact hours. Confirm with the Board before relying on it."),
     "topics": [("pharmacy-law", "4", False)]},
    {"state": "MA", "profession": "physician_assistant",
     "name": "Massachusetts physician assistant licence renewal (Category 1 portion)",
     "cycle_months": 24, "cycle_anchor": LICENCE_EXPIRY, "total_credits": "40",
     "accepted_credit_types": ["aapa_1", "ama_pra_1"],
     "source_url": "https://www.mass.gov/how-to/renew-your-physician-assistant-license",
     "source_note": (
         "Board of Registration of Physician Assistants, 263 CMR 3.05 (Mass.gov, 'Renew your "
         "physician assistant license'): 100 contact hours per registration period, at least 40 "
         "in Category 1; licences renew by 1 March of odd years. The portal tracks the 40 "
         "Category 1 hours (AAPA Category 1 and AMA PRA Category 1 credit); the other 60 may be "
         "of any category earned elsewhere and are not tracked. The prescriber training of "
         "M.G.L. c. 94C, § 18(e) sets no hours and is not tracked.")},
    {"state": "MA", "profession": "psychologist",
     "name": "Massachusetts psychologist licence renewal",
     "cycle_months": 24, "cycle_anchor": LICENCE_EXPIRY, "total_credits": "20",
     "accepted_credit_types": ["apa_ce"],
     "source_url": "https://www.mass.gov/info-details/psychologists-board-frequently-asked-questions",
     "source_note": (
         "Board of Registration of Psychologists, 251 CMR 4.00 (Mass.gov, 'Psychologists Board "
         "Frequently Asked Questions'): 20 CE credits in the two years before renewal, on 30 June "
         "of even years, only from APA-approved sponsors; prorated for new licensees (not "
         "modelled). Up to 10 credits for a published article are not tracked.")},
    {"state": "MA", "profession": "social_worker",
     "name": "Massachusetts social worker licence renewal (LICSW)",
     "cycle_months": 24, "cycle_anchor": BIRTHDAY, "total_credits": "30",
     "accepted_credit_types": ["aswb_ace"],
     "source_url": ("https://regulations.justia.com/states/massachusetts/258-cmr/"
                    "title-258-cmr-31-00/section-31-03"),
     "source_note": (
         "Board of Registration of Social Workers, 258 CMR 31.03(1): LICSW 30, LCSW 20, LSW 15, "
         "LSWA 10 continuing education hours per licensure period. Profiles do not hold the "
         "licence level, so this set asks the LICSW's 30: the office copies it for another "
         "level. Renewal on the birthday since 1 October 2020 (NASW Massachusetts, CE FAQs). The "
         "2 hours of anti-racism and 1 of anti-discrimination (from 28 September 2023, within "
         "the total) come from a secondary summary (athealth.com), not the regulation's text. "
         "The rule that 75% come from recognised entities is not tracked."),
     "topics": [("anti-racism", "2", False), ("anti-discrimination", "1", False)]},
    {"state": "NH", "profession": "physician",
     "name": "New Hampshire physician licence renewal (Category 1 portion)",
     "cycle_months": 24, "cycle_anchor": CALENDAR_YEARS, "total_credits": "40",
     "accepted_credit_types": ["ama_pra_1"],
     "source_url": "https://www.nhms.org/Education-CME/CME-Reporting",
     "source_note": (
         "New Hampshire Board of Medicine, RSA 329:16-g, as reported by the New Hampshire "
         "Medical Society: 100 CME credits over two calendar years (1 January to 31 December of "
         "the second year, before the licence's renewal), at least 40 in Category 1, the rest of "
         "either category. The portal tracks the 40 Category 1 credits (AMA PRA Category 1); "
         "Category 2 is not tracked. The 3 Category 1 credits on opioid prescribing, pain or "
         "addiction apply to physicians with a DEA registration at a New Hampshire address. "
         "Board certification kept up to date may stand for the requirement (not modelled)."),
     "topics": [("opioid-pain-management", "3", False)]},
]


def reference_rules_ensure(requirement_set_model=None, topic_requirement_model=None,
                           topic_model=None) -> None:
    """Create each reference set whose (state, profession) has none yet, active or not."""
    if requirement_set_model is None:
        from courses.models import Topic as topic_model
        from credits.requirements.models import RequirementSet as requirement_set_model
        from credits.requirements.models import TopicRequirement as topic_requirement_model
    existing = set(requirement_set_model.objects.values_list("state", "profession"))
    topic_names = dict(STANDARD_TOPICS + EXTRA_TOPICS)
    for rules in REFERENCE_RULES:
        if (rules["state"], rules["profession"]) in existing:
            continue
        fields = {key: value for key, value in rules.items() if key != "topics"}
        for amount in ("total_credits", "live_minimum"):
            if amount in fields:
                fields[amount] = Decimal(fields[amount])
        requirement_set = requirement_set_model.objects.create(
            **fields, is_active=True, effective_from=IN_FORCE_BEFORE_SEEDING,
            source_read_on=SOURCES_READ_ON)
        for slug, minimum, one_time in rules.get("topics", []):
            topic, _ = topic_model.objects.get_or_create(slug=slug,
                                                         defaults={"name": topic_names[slug]})
            topic_requirement_model.objects.create(
                requirement_set=requirement_set, topic=topic,
                minimum_credits=Decimal(minimum), one_time=one_time)

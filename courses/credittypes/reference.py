"""The credit types seeded for every installation, with where each comes from.

The seven types the portal awarded before credit types became data keep their codes, units and
statements exactly (so no stored credit, certificate or report changes). The other Joint
Accreditation types and the boards of ACCME's CME for MOC collaboration are seeded *not
designable*: their units and professions are known, but the office enters the accreditor's
current statement (docs/credit-types.md names the page to copy it from) and ticks "designable"
before any activity can carry them. The portal never prints wording it has not been given.
This only fills a missing code: an administrator's edits are never overwritten.
"""
from decimal import Decimal

PHYSICIAN, NURSE, PHARMACIST = "physician", "nurse", "pharmacist"
PHYSICIAN_ASSISTANT, PSYCHOLOGIST, SOCIAL_WORKER = ("physician_assistant", "psychologist",
                                                   "social_worker")
DENTIST, OPTOMETRIST, ATHLETIC_TRAINER, DIETITIAN = ("dentist", "optometrist",
                                                     "athletic_trainer", "dietitian")

JOINT_ACCREDITATION = "https://jointaccreditation.org/about-joint-accreditation"
CME_FOR_MOC = "http://www.accme.org/cme-support-moc"
CME_FOR_MOC_NOTE = (
    "ACCME's CME for MOC collaboration: activities registered in PARS, learner completions "
    "reported through PARS (ACCME, 'CME that Counts for MOC' and the CME for MOC Program "
    "Guide, whose Table 1 gives each board's credit type language). Enter the board's "
    "statement from the current Program Guide before making it designable.")
AWAITING_WORDING = ("Seeded without a statement: copy the accreditor's current designation "
                    "statement from its provider guidance before making it designable.")

REFERENCE_CREDIT_TYPES: list[dict] = [
    {"code": "ama_pra_1", "position": 10, "name": "AMA PRA Category 1 Credit™",
     "unit_singular": "AMA PRA Category 1 Credit™", "unit_plural": "AMA PRA Category 1 Credits™",
     "accreditor": "American Medical Association (through ACCME accreditation)",
     "statement": ("{provider} designates this {learning_format} for a maximum of {maximum}. "
                   "Physicians should claim only the credit commensurate with the extent of "
                   "their participation in the activity."),
     "eligible_professions": [PHYSICIAN], "reported_to": "pars", "is_active": True,
     "source_url": "https://www.ama-assn.org/education/ama-pra-credit-system",
     "source_note": "AMA PRA Credit System booklet: the designation statement, the trademark "
                    "and quarter-hour increments (the portal's wording since it began)."},
    {"code": "ancc", "position": 20, "name": "ANCC contact hours",
     "unit_singular": "ANCC contact hour", "unit_plural": "ANCC contact hours",
     "accreditor": "American Nurses Credentialing Center",
     "statement": ("{provider} is accredited as a provider of nursing continuing professional "
                   "development by the American Nurses Credentialing Center's Commission on "
                   "Accreditation. This activity awards up to {maximum}."),
     "eligible_professions": [NURSE], "reported_to": "none", "is_active": True,
     "source_url": JOINT_ACCREDITATION,
     "source_note": "ANCC contact hours; the portal's wording since it began."},
    {"code": "acpe", "position": 30, "name": "ACPE contact hours",
     "unit_singular": "ACPE contact hour", "unit_plural": "ACPE contact hours",
     "accreditor": "Accreditation Council for Pharmacy Education",
     "statement": ("{provider} is accredited by the Accreditation Council for Pharmacy Education "
                   "(ACPE) as a provider of continuing pharmacy education. This activity awards "
                   "up to {maximum}."),
     "eligible_professions": [PHARMACIST], "reported_to": "cpe_monitor",
     "identifier_label": "ACPE universal activity number (UAN)", "is_active": True,
     "source_url": JOINT_ACCREDITATION,
     "source_note": "ACPE 'Guidance on the Universal Activity Number'; CPE Monitor reporting."},
    {"code": "aapa_1", "position": 40, "name": "AAPA Category 1 CME credit",
     "unit_singular": "AAPA Category 1 CME credit", "unit_plural": "AAPA Category 1 CME credits",
     "accreditor": "American Academy of Physician Associates",
     "statement": ("This activity is designated for up to {maximum} by the American Academy of "
                   "Physician Associates (AAPA). Physician assistants should claim only the "
                   "credit commensurate with the extent of their participation."),
     "eligible_professions": [PHYSICIAN_ASSISTANT], "reported_to": "none", "is_active": True,
     "source_url": JOINT_ACCREDITATION,
     "source_note": "AAPA Category 1 CME; the portal's wording since it began."},
    {"code": "ipce", "position": 50, "name": "IPCE credit™",
     "unit_singular": "IPCE credit™", "unit_plural": "IPCE credits™",
     "accreditor": "Joint Accreditation for Interprofessional Continuing Education",
     "statement": ("In support of improving patient care, {provider} is jointly accredited by "
                   "the ACCME, ACPE and ANCC to provide continuing education for the healthcare "
                   "team. This activity was planned by and for the healthcare team, and learners "
                   "will receive up to {maximum} for learning and change."),
     "open_to_whole_team": True, "reported_to": "pars", "is_active": True,
     "source_url": JOINT_ACCREDITATION,
     "source_note": "Joint Accreditation: 'This activity was planned by and for the healthcare "
                    "team, and learners will receive (#) IPCE credit for learning and change.'"},
    {"code": "abim_moc", "position": 60, "name": "ABIM MOC points",
     "unit_singular": "ABIM MOC point", "unit_plural": "ABIM MOC points",
     "accreditor": "American Board of Internal Medicine",
     "statement": ("Successful completion of this CME activity enables the participant to earn "
                   "up to {maximum} in the American Board of Internal Medicine's (ABIM) "
                   "Maintenance of Certification (MOC) program. Participants earn MOC points "
                   "equivalent to the amount of CME credits claimed for the activity."),
     "eligible_professions": [PHYSICIAN], "reported_to": "pars", "is_active": True,
     "source_url": CME_FOR_MOC, "source_note": CME_FOR_MOC_NOTE},
    {"code": "participation", "position": 200, "name": "Certificate of participation (hours)",
     "unit_singular": "hour of participation", "unit_plural": "hours of participation",
     "accreditor": "",
     "statement": "Other participants receive a certificate of participation for up to "
                  "{maximum}.",
     "open_to_whole_team": True, "reported_to": "none", "is_active": True,
     "source_note": "The portal's own certificate for everyone else; no accreditor."},
    # The other Joint Accreditation credit types: seeded, not designable until worded.
    {"code": "apa_ce", "position": 70, "name": "APA CE credits",
     "unit_singular": "APA CE credit", "unit_plural": "APA CE credits",
     "accreditor": "American Psychological Association",
     "eligible_professions": [PSYCHOLOGIST], "source_url": JOINT_ACCREDITATION,
     "source_note": AWAITING_WORDING},
    {"code": "aswb_ace", "position": 80, "name": "ASWB ACE continuing education credits",
     "unit_singular": "ASWB ACE continuing education credit",
     "unit_plural": "ASWB ACE continuing education credits",
     "accreditor": "Association of Social Work Boards (ACE program)",
     "eligible_professions": [SOCIAL_WORKER], "source_url": JOINT_ACCREDITATION,
     "source_note": AWAITING_WORDING},
    {"code": "ada_cerp", "position": 90, "name": "ADA CERP continuing education credits",
     "unit_singular": "ADA CERP continuing education credit",
     "unit_plural": "ADA CERP continuing education credits",
     "accreditor": "American Dental Association CERP",
     "eligible_professions": [DENTIST], "source_url": JOINT_ACCREDITATION,
     "source_note": AWAITING_WORDING},
    {"code": "arbo_cope", "position": 100, "name": "COPE credits (ARBO)",
     "unit_singular": "COPE credit", "unit_plural": "COPE credits",
     "accreditor": "Association of Regulatory Boards of Optometry (COPE)",
     "eligible_professions": [OPTOMETRIST], "source_url": JOINT_ACCREDITATION,
     "source_note": AWAITING_WORDING},
    {"code": "boc", "position": 110, "name": "BOC continuing education units",
     "unit_singular": "BOC CEU", "unit_plural": "BOC CEUs",
     "accreditor": "Board of Certification for the Athletic Trainer",
     "eligible_professions": [ATHLETIC_TRAINER],
     "source_url": "https://bocatc.org/approved-providers/", "source_note": AWAITING_WORDING},
    {"code": "cdr_cpeu", "position": 120, "name": "CDR CPEUs",
     "unit_singular": "CDR CPEU", "unit_plural": "CDR CPEUs",
     "accreditor": "Commission on Dietetic Registration",
     "eligible_professions": [DIETITIAN], "source_url": JOINT_ACCREDITATION,
     "source_note": AWAITING_WORDING},
    # Boards of ACCME's CME for MOC collaboration (ABIM above).
    *[{"code": code, "position": position, "name": f"{board} MOC points",
       "unit_singular": f"{board} MOC point", "unit_plural": f"{board} MOC points",
       "accreditor": accreditor, "eligible_professions": [PHYSICIAN], "reported_to": "pars",
       "source_url": url, "source_note": CME_FOR_MOC_NOTE}
      for code, position, board, accreditor, url in [
          ("aba_moc", 130, "ABA", "American Board of Anesthesiology", CME_FOR_MOC),
          ("abp_moc", 140, "ABP", "American Board of Pediatrics",
           "https://www.abp.org/content/moc-credit-cme-activities"),
          ("abpath_moc", 150, "ABPath", "American Board of Pathology", CME_FOR_MOC),
          ("abs_moc", 160, "ABS", "American Board of Surgery", CME_FOR_MOC),
          ("abo_moc", 170, "ABO", "American Board of Ophthalmology", CME_FOR_MOC),
          ("abohns_moc", 180, "ABOHNS",
           "American Board of Otolaryngology–Head and Neck Surgery", CME_FOR_MOC),
      ]],
]


def reference_professions_ensure(profession_model=None) -> None:
    """Create a row for each profession a profile or licence may state, if missing (the rows
    take the profile list's codes and names; the office renames or reorders them freely)."""
    from accounts.choices import Profession as profile_professions
    if profession_model is None:
        from courses.credittypes.models import Profession as profession_model
    existing = set(profession_model.objects.values_list("code", flat=True))
    profession_model.objects.bulk_create([
        profession_model(code=code, name=str(label), position=(index + 1) * 10)
        for index, (code, label) in enumerate(profile_professions.choices)
        if code not in existing])


def reference_credit_types_ensure(credit_type_model=None) -> None:
    """Create each reference type whose code is missing (active or not), with the professions
    who may claim it (a list of codes before migration credittypes.0004, rows after it)."""
    if credit_type_model is None:
        from courses.credittypes.models import CreditType as credit_type_model
    existing = set(credit_type_model.objects.values_list("code", flat=True))
    missing = [fields for fields in REFERENCE_CREDIT_TYPES if fields["code"] not in existing]
    professions_field = credit_type_model._meta.get_field("eligible_professions")
    if not professions_field.many_to_many:
        credit_type_model.objects.bulk_create([
            credit_type_model(**{"step": Decimal("0.25"), "is_active": False, **fields})
            for fields in missing])
        return
    profession_model = professions_field.related_model
    reference_professions_ensure(profession_model)
    by_code = {row.code: row for row in profession_model.objects.all()}
    for fields in missing:
        fields = dict(fields)
        codes = fields.pop("eligible_professions", [])
        credit_type = credit_type_model.objects.create(
            **{"step": Decimal("0.25"), "is_active": False, **fields})
        credit_type.eligible_professions.set([by_code[code] for code in codes])

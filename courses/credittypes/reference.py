"""The credit types seeded for every installation, with where each comes from.

The seven types the portal awarded before credit types became data keep their codes, units and
statements exactly (so no stored credit, certificate or report changes); ABP MOC, ABS MOC and
APA CE have the accreditor's statement as published (migrations 0007 and 0008 bring it to
installations seeded before it was found). The other Joint Accreditation types and boards of
ACCME's CME for MOC collaboration are seeded *not designable*: no citable wording was found for
them, so the office enters the accreditor's current statement (docs/credit-types.md names the
page to copy it from) and ticks "designable" before any activity can carry them. The portal
never prints wording it has not been given.
This only fills a missing code: an administrator's edits are never overwritten.
"""
from dataclasses import dataclass
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

# CE Broker's code for each profession it takes rosters for (its "Profession Codes" list; some
# differ by state: check before go-live). The office sets one for a profession it adds.
CE_BROKER_PROFESSION_CODES = {NURSE: "RN", PHARMACIST: "PS", PSYCHOLOGIST: "PY",
                              SOCIAL_WORKER: "SW", PHYSICIAN_ASSISTANT: "PA", DIETITIAN: "DT"}


@dataclass(frozen=True)
class ReferenceType:
    """One seeded type: what differs between types. Its name is its plural unit unless given,
    and it is designable exactly when it has a statement (no wording, nothing printed)."""

    code: str
    position: int
    accreditor: str
    units: tuple[str, str]  # singular, plural
    professions: tuple[str, ...] = ()
    reported_to: str = "none"
    statement: str = ""
    source_url: str = JOINT_ACCREDITATION
    source_note: str = AWAITING_WORDING
    name: str = ""
    open_to_whole_team: bool = False
    identifier_label: str = ""

    def fields(self) -> dict:
        singular, plural = self.units
        return {"code": self.code, "position": self.position, "name": self.name or plural,
                "unit_singular": singular, "unit_plural": plural, "accreditor": self.accreditor,
                "statement": self.statement, "open_to_whole_team": self.open_to_whole_team,
                "eligible_professions": list(self.professions),
                "reported_to": self.reported_to, "identifier_label": self.identifier_label,
                "is_active": bool(self.statement), "source_url": self.source_url,
                "source_note": self.source_note}


def _moc_board(code: str, position: int, board: str, accreditor: str, *,
               url: str = CME_FOR_MOC, statement: str = "",
               note: str = CME_FOR_MOC_NOTE) -> ReferenceType:
    return ReferenceType(code, position, accreditor, (f"{board} MOC point", f"{board} MOC points"),
                         (PHYSICIAN,), "pars", statement, url, note)


REFERENCE_TYPES = [
    # The seven the portal awarded when they were code: units and wording exactly as then.
    ReferenceType(
        "ama_pra_1", 10, "American Medical Association (through ACCME accreditation)",
        ("AMA PRA Category 1 Credit™", "AMA PRA Category 1 Credits™"), (PHYSICIAN,), "pars",
        "{provider} designates this {learning_format} for a maximum of {maximum}. Physicians "
        "should claim only the credit commensurate with the extent of their participation in "
        "the activity.",
        "https://www.ama-assn.org/education/ama-pra-credit-system",
        "AMA PRA Credit System booklet: the designation statement, the trademark and "
        "quarter-hour increments (the portal's wording since it began).",
        name="AMA PRA Category 1 Credit™"),
    ReferenceType(
        "ancc", 20, "American Nurses Credentialing Center",
        ("ANCC contact hour", "ANCC contact hours"), (NURSE,),
        statement="{provider} is accredited as a provider of nursing continuing professional "
                  "development by the American Nurses Credentialing Center's Commission on "
                  "Accreditation. This activity awards up to {maximum}.",
        source_note="ANCC contact hours; the portal's wording since it began."),
    ReferenceType(
        "acpe", 30, "Accreditation Council for Pharmacy Education",
        ("ACPE contact hour", "ACPE contact hours"), (PHARMACIST,), "cpe_monitor",
        "{provider} is accredited by the Accreditation Council for Pharmacy Education (ACPE) as "
        "a provider of continuing pharmacy education. This activity awards up to {maximum}.",
        source_note="ACPE 'Guidance on the Universal Activity Number'; CPE Monitor reporting.",
        identifier_label="ACPE universal activity number (UAN)"),
    ReferenceType(
        "aapa_1", 40, "American Academy of Physician Associates",
        ("AAPA Category 1 CME credit", "AAPA Category 1 CME credits"), (PHYSICIAN_ASSISTANT,),
        statement="This activity is designated for up to {maximum} by the American Academy of "
                  "Physician Associates (AAPA). Physician assistants should claim only the "
                  "credit commensurate with the extent of their participation.",
        source_note="AAPA Category 1 CME; the portal's wording since it began.",
        name="AAPA Category 1 CME credit"),
    ReferenceType(
        "ipce", 50, "Joint Accreditation for Interprofessional Continuing Education",
        ("IPCE credit™", "IPCE credits™"), reported_to="pars",
        statement="In support of improving patient care, {provider} is jointly accredited by "
                  "the ACCME, ACPE and ANCC to provide continuing education for the healthcare "
                  "team. This activity was planned by and for the healthcare team, and learners "
                  "will receive up to {maximum} for learning and change.",
        source_note="Joint Accreditation: 'This activity was planned by and for the healthcare "
                    "team, and learners will receive (#) IPCE credit for learning and change.'",
        name="IPCE credit™", open_to_whole_team=True),
    _moc_board(
        "abim_moc", 60, "ABIM", "American Board of Internal Medicine",
        statement="Successful completion of this CME activity enables the participant to earn "
                  "up to {maximum} in the American Board of Internal Medicine's (ABIM) "
                  "Maintenance of Certification (MOC) program. Participants earn MOC points "
                  "equivalent to the amount of CME credits claimed for the activity."),
    ReferenceType(
        "participation", 200, "", ("hour of participation", "hours of participation"),
        statement="Other participants receive a certificate of participation for up to "
                  "{maximum}.",
        source_url="", source_note="The portal's own certificate for everyone else; no "
                                   "accreditor.",
        name="Certificate of participation (hours)", open_to_whole_team=True),
    # The other Joint Accreditation credit types: not designable until worded (APA's wording
    # found since the first seeding: migration 0008).
    ReferenceType(
        "apa_ce", 70, "American Psychological Association",
        ("APA CE credit", "APA CE credits"), (PSYCHOLOGIST,),
        statement="{provider} is approved by the American Psychological Association to sponsor "
                  "continuing education for psychologists. {provider} maintains responsibility "
                  "for this program and its content.",
        source_url="http://www.apa.org/ed/sponsor/about/faq/index.aspx",
        source_note="APA Office of CE Sponsor Approval, 'FAQs for Applicants and Approved CE "
                    "Sponsors': the requisite APA CE Sponsor Approval statement, word for word "
                    "(it names no amount: the certificate's credit line gives it). The FAQ "
                    "reserves it to currently approved APA sponsors: before go-live, check it "
                    "against Joint Accreditation's current guidance for jointly accredited "
                    "providers."),
    ReferenceType("aswb_ace", 80, "Association of Social Work Boards (ACE program)",
                  ("ASWB ACE continuing education credit",
                   "ASWB ACE continuing education credits"), (SOCIAL_WORKER,)),
    ReferenceType("ada_cerp", 90, "American Dental Association CERP",
                  ("ADA CERP continuing education credit",
                   "ADA CERP continuing education credits"), (DENTIST,)),
    ReferenceType("arbo_cope", 100, "Association of Regulatory Boards of Optometry (COPE)",
                  ("COPE credit", "COPE credits"), (OPTOMETRIST,), name="COPE credits (ARBO)"),
    ReferenceType("boc", 110, "Board of Certification for the Athletic Trainer",
                  ("BOC CEU", "BOC CEUs"), (ATHLETIC_TRAINER,),
                  source_url="https://bocatc.org/approved-providers/",
                  name="BOC continuing education units"),
    ReferenceType("cdr_cpeu", 120, "Commission on Dietetic Registration",
                  ("CDR CPEU", "CDR CPEUs"), (DIETITIAN,)),
    # The other boards of ACCME's CME for MOC collaboration: not designable until worded (ABP's
    # wording found since the first seeding: migration 0007; ABS's: 0008).
    _moc_board("aba_moc", 130, "ABA", "American Board of Anesthesiology"),
    _moc_board(
        "abp_moc", 140, "ABP", "American Board of Pediatrics",
        url="https://cce.upmc.com/content/american-board-pediatrics-abp",
        statement="Successful completion of this CME activity, which includes participation in "
                  "the evaluation component, enables the learner to earn up to {maximum} in the "
                  "American Board of Pediatrics' (ABP) Maintenance of Certification (MOC) "
                  "program. It is the CME activity provider's responsibility to submit learner "
                  "completion information to ACCME for the purpose of granting ABP MOC credit.",
        note="The ABP MOC statement as an accredited provider publishes it for its ABP "
             "activities (UPMC Center for Continuing Education in the Health Sciences, "
             "'American Board of Pediatrics (ABP)'); registration and reporting through PARS "
             "per ACCME's 'CME that Counts for ABP MOC' (https://www.accme.org/abp-moc). "
             "ACCME: ABP MOC points equal the CME credits awarded, rounded to a whole number."),
    _moc_board("abpath_moc", 150, "ABPath", "American Board of Pathology"),
    _moc_board(
        "abs_moc", 160, "ABS", "American Board of Surgery", url="https://cce.upmc.com/ABS",
        statement="Successful completion of this CME activity enables the learner to earn credit "
                  "toward the CME requirements of the American Board of Surgery's Continuous "
                  "Certification program. It is the CME activity provider's responsibility to "
                  "submit learner completion information to ACCME for the purpose of granting "
                  "ABS credit.",
        note="The ABS statement as an accredited provider publishes it for its ABS activities "
             "(UPMC Center for Continuing Education in the Health Sciences, 'ABS': 'These "
             "activities will have the following statement'); it names no amount. Registration "
             "and learner completions through PARS per ACCME, 'Available Now: Register Your CME "
             "Activities for American Board of Surgery Continuous Certification' "
             "(https://www.accme.org/highlights/available-now-register-your-cme-activities-for-"
             "american-board-surgery-continuous)."),
    _moc_board("abo_moc", 170, "ABO", "American Board of Ophthalmology"),
    _moc_board("abohns_moc", 180, "ABOHNS",
               "American Board of Otolaryngology–Head and Neck Surgery"),
]
REFERENCE_CREDIT_TYPES: list[dict] = [reference.fields() for reference in REFERENCE_TYPES]


def reference_wording_fill_untouched(credit_type_model, codes: list[str]) -> None:
    """Give each of `codes` the reference statement, its source and "designable", on a row the
    office has not touched (statement still blank, still not designable): the data migrations
    that bring wording found after an installation was seeded. An edited row keeps its edits."""
    reference = {fields["code"]: fields for fields in REFERENCE_CREDIT_TYPES}
    for code in codes:
        fields = reference[code]
        credit_type_model.objects.filter(code=code, statement="", is_active=False).update(
            statement=fields["statement"], is_active=True, source_url=fields["source_url"],
            source_note=fields["source_note"])


def reference_professions_ensure(profession_model=None) -> None:
    """Create a row for each profession a profile or licence may state, if missing (the rows
    take the profile list's codes and names; the office renames or reorders them freely)."""
    from accounts.choices import Profession as profile_professions
    if profession_model is None:
        from courses.credittypes.models import Profession as profession_model
    existing = set(profession_model.objects.values_list("code", flat=True))
    # The CE Broker code arrived with migration credittypes.0006; earlier states lack it.
    fields = {field.name for field in profession_model._meta.get_fields()}
    profession_model.objects.bulk_create([
        profession_model(code=code, name=str(label), position=(index + 1) * 10,
                         **({"ce_broker_code": CE_BROKER_PROFESSION_CODES.get(code, "")}
                            if "ce_broker_code" in fields else {}))
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

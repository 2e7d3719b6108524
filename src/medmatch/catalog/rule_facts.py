"""Rule facts on a program's sheet: training length and work-hour limits from the rule tables.

A rule says what the accrediting body requires of every program of a kind (the ACGME for a US
specialty and track; the Royal College or the CFPC for a CaRMS discipline), or what holds for every
resident of a country or province (the ACGME's work hours for every US program; a province's
residents' collective agreement, e.g. PARO-CAHO in Ontario), not what this program reports, and
the sheet says so (scope ``rule``, the document, its section and date). A value the program itself
gives (``Program.length_months`` / ``weekly_hours``) outranks the rule; the rule then stays beside
it as context ("the ACGME requirement is 36 months"). A program with no rule for it (a CaRMS
discipline not in the table, a province without a tabulated agreement) keeps the fact unknown.
"""

from dataclasses import dataclass, field

from medmatch.catalog import import_cache
from medmatch.catalog.models import Program, Source, Specialty
from medmatch.catalog.models_rules import TrainingLengthRule, WorkHourRule

RESIDENCY = Program.ProgramType.RESIDENCY
ACGME, CARMS = Specialty.System.ACGME, Specialty.System.CARMS
# The work-hour rules in the order a student reads them: the weekly maximum ("Duty hours") first.
# A province's keys carry its prefix ("on-in-hospital-call"); they are ordered by the rest.
WORK_HOUR_ORDER = (
    "weekly-maximum",
    "day-off",
    "continuous-shift",
    "in-house-call",
    "in-hospital-call",
    "home-call",
    "call-length",
    "regular-day",
    "weekends",
)


def _order(rule: WorkHourRule) -> tuple[int, str]:
    """A rule's place in WORK_HOUR_ORDER by its key without a province or faculty prefix
    ("on-in-hospital-call" -> "in-hospital-call")."""
    rank = {key: i for i, key in enumerate(WORK_HOUR_ORDER)}
    key = rule.key
    if key not in rank and "-" in key and key.split("-", 1)[1] in rank:
        key = key.split("-", 1)[1]
    return rank.get(key, len(rank)), rule.key


@dataclass
class RuleBook:
    """Both rule tables in memory (a few dozen rows): one load per page, or per stats run."""

    # (system, specialty code, track type): a CaRMS rule has no track ("").
    lengths: dict[tuple[str, str, str], TrainingLengthRule] = field(default_factory=dict)
    # By country; a rule's region and faculty ("" = any) narrow whom it holds for.
    work_hours: dict[str, list[WorkHourRule]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "RuleBook":
        book = cls()
        for rule in TrainingLengthRule.objects.select_related("source"):
            book.lengths[(rule.system, rule.specialty_code, rule.track_type)] = rule
        for rule in WorkHourRule.objects.select_related("source"):
            book.work_hours.setdefault(rule.country, []).append(rule)
        for rules in book.work_hours.values():
            rules.sort(key=_order)
        return book

    @staticmethod
    @import_cache.per_import
    def cached() -> "RuleBook":
        """The loaded book, kept until the next import (see ``import_cache``)."""
        return RuleBook.load()

    def length_for(self, program: Program) -> TrainingLengthRule | None:
        specialty = program.specialty
        if program.program_type != RESIDENCY or specialty is None:
            return None
        if specialty.system == ACGME and program.track_type:
            return self.lengths.get((ACGME, specialty.code, program.track_type))
        if specialty.system == CARMS:
            # A CaRMS stream's discipline is its specialty (Royal College or CFPC rule).
            return self.lengths.get((CARMS, specialty.code, ""))
        return None

    def work_hours_for(self, program: Program) -> list[WorkHourRule]:
        """The ACGME limits hold for US residencies of ACGME specialties (NRMP's programs); a
        province's collective agreement for the CaRMS streams in that province."""
        specialty = program.specialty
        if program.program_type != RESIDENCY or specialty is None:
            return []
        country = program.country or program.institution.country
        if specialty.system == ACGME:
            return [rule for rule in self.work_hours.get(country, []) if not rule.region]
        if specialty.system == CARMS and country == "CA":
            # A stream's province is its site's (the CaRMS import); its faculty is its school.
            province = program.region or program.institution.region
            school = program.institution.name
            return [
                rule
                for rule in self.work_hours.get("CA", [])
                if (rule.region or rule.faculty)
                and rule.region in ("", province)
                and rule.faculty in ("", school)
            ]
        return []


def years(months: int) -> str:
    if months % 12:
        return f"{months} months"
    count = months // 12
    return f"{count} year{'s' if count != 1 else ''}"


def _scope_label(rule) -> str:
    return f"{rule.document}, section {rule.section}" if rule.section else rule.document


def _as_of(rule) -> str:
    if rule.document_date is None:
        return "version date not recorded"
    return f"effective {rule.document_date:%-d %b %Y}"


def length_rule_wording(rule: TrainingLengthRule, specialty_name: str) -> str:
    if rule.track_type:
        return f"the {rule.body} requirement for a {rule.track_name} {specialty_name} residency"
    return f"the {rule.body} requirement for {specialty_name} residency training"


def add_length_facts(sheet, program: Program, book: RuleBook, source: Source) -> None:
    """ "Length": the program's own value when it has one (the rule as context), else the rule."""
    from medmatch.catalog.facts import Scope

    rule = book.length_for(program)
    question = "How long is the program?"
    if program.length_months:
        context = ""
        if rule is not None:
            context = f"the {rule.body} requirement is {rule.months} months"
        sheet.add(
            "Length",
            f"{program.length_months} months",
            source,
            note=context,
            question=question,
            scope=Scope.PROGRAM,
        )
        return
    if rule is None:
        sheet.add("Length", None, None, question=question)
        return
    specialty = program.specialty.name if program.specialty else ""
    sheet.add(
        "Length",
        years(rule.months),
        rule.source,
        note=length_rule_wording(rule, specialty) + (f"; {rule.note}" if rule.note else ""),
        question=question,
        scope=Scope.RULE,
        scope_label=_scope_label(rule),
        scope_url=rule.document_url,
        as_of=_as_of(rule),
    )


def add_work_hour_facts(sheet, program: Program, book: RuleBook, source: Source) -> None:
    """ "Weekly hours" stays the program's own figure (unknown until someone reports it); the
    work-hour limits follow as rules, the weekly maximum labelled "Duty hours"."""
    from medmatch.catalog.facts import Scope

    rules = book.work_hours_for(program)
    weekly = next((rule for rule in rules if rule.key.endswith("weekly-maximum")), None)
    sheet.add(
        "Weekly hours",
        f"{program.weekly_hours} hours" if program.weekly_hours else None,
        source,
        note=f"the {weekly.body} limit is {weekly.statement}"
        if weekly and program.weekly_hours
        else "",
        question="How many hours a week do residents actually work, on average and at peak?",
        scope=Scope.PROGRAM if program.weekly_hours else "",
    )
    for rule in rules:
        sheet.add(
            rule.label,
            rule.statement,
            rule.source,
            note=f"{rule.body} rule for {rule.applies_to}",
            scope=Scope.RULE,
            scope_label=_scope_label(rule),
            scope_url=rule.document_url,
            as_of=_as_of(rule),
        )

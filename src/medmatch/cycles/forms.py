"""The match's forms. The practice match: which market (query parameters, carried on as hidden
fields), the student's list (a rank number per program, blank = not ranked) and a couple's joint
list. Match cycles: a draft cycle, a program with its quota, programs added by specialty, and
locking early."""

from django import forms

from medmatch.catalog.models import Program, Specialty
from medmatch.cycles.models import MatchCycle, PracticeRun
from medmatch.cycles.selectors import specialty_choices
from medmatch.lib.forms import BoundedIntegerField, bounded_formfield

MAX_SEED = 2**31 - 1
# The longest practice list: every rerun of a lesson costs a solve of the whole market.
MAX_LIST = 20
COUPLE_ROWS = 8
NO_MATCH = "none"


class MarketForm(forms.Form):
    market = forms.ChoiceField(choices=PracticeRun.Market.choices, label="Market")
    specialty = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="Specialty",
        help_text="For a generated market: the catalog's tracks of this specialty.",
    )
    strength = forms.ChoiceField(
        choices=PracticeRun.Strength.choices,
        required=False,
        initial=PracticeRun.Strength.AVERAGE,
        label="How the programs see you",
        help_text="For a generated market: where programs rank you among the made-up applicants.",
    )
    couple = forms.BooleanField(
        required=False,
        label="Apply as a couple with a made-up partner (hand-made market only)",
    )
    seed = BoundedIntegerField(
        required=False,
        min_value=1,
        max_value=MAX_SEED,
        label="Seed",
        help_text="The same seed gives the same made-up competitors. Blank: a new one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = [("", "— none —"), *specialty_choices()]

    def clean(self):
        data = super().clean()
        data["strength"] = data.get("strength") or PracticeRun.Strength.AVERAGE
        if data.get("couple") and data.get("market") == PracticeRun.Market.GENERATED:
            self.add_error("couple", "Couple mode works in the hand-made market only.")
        return data


def _rank_field(name: str) -> str:
    return f"rank_{name}"


class RankListForm(forms.Form):
    """One optional rank number per program of the market; the order of the numbers is the list.
    Gaps are fine, a number used twice is not."""

    def __init__(self, programs, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.programs = list(programs)
        self.max_rank = min(len(self.programs), MAX_LIST)
        for program in self.programs:
            self.fields[_rank_field(program.id)] = BoundedIntegerField(
                required=False,
                min_value=1,
                max_value=self.max_rank,
                label=program.name,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "rank-input"}),
            )

    def rows(self):
        """(program, its bound field) in the market's order, for the template's table."""
        return [(program, self[_rank_field(program.id)]) for program in self.programs]

    def clean(self):
        data = super().clean()
        by_rank: dict[int, list[str]] = {}
        for program in self.programs:
            rank = data.get(_rank_field(program.id))
            if rank is not None:
                by_rank.setdefault(rank, []).append(program)
        for rank, programs in by_rank.items():
            if len(programs) > 1:
                for program in programs:
                    others = ", ".join(p.name for p in programs if p is not program)
                    self.add_error(
                        _rank_field(program.id), f"Rank {rank} is also given to {others}."
                    )
        if not by_rank and not self.errors:
            raise forms.ValidationError("Give at least one program a rank number.")
        data["ranking"] = [by_rank[rank][0].id for rank in sorted(by_rank)]
        return data


class CoupleListForm(forms.Form):
    """Up to ``COUPLE_ROWS`` rows of (your program, your partner's program); "No match" for one
    side of a row means that person goes unmatched while the other takes the place."""

    def __init__(self, programs, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), (NO_MATCH, "No match"), *((p.id, p.name) for p in programs)]
        for row in range(1, COUPLE_ROWS + 1):
            self.fields[f"row{row}_you"] = forms.ChoiceField(
                choices=choices, required=False, label=f"Row {row}: your program"
            )
            self.fields[f"row{row}_partner"] = forms.ChoiceField(
                choices=choices, required=False, label=f"Row {row}: Sam's program"
            )

    def rows(self):
        return [
            (row, self[f"row{row}_you"], self[f"row{row}_partner"])
            for row in range(1, COUPLE_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        rows, seen = [], set()
        for row in range(1, COUPLE_ROWS + 1):
            mine, theirs = data.get(f"row{row}_you"), data.get(f"row{row}_partner")
            if not mine and not theirs:
                continue
            if not mine or not theirs:
                blank = f"row{row}_you" if not mine else f"row{row}_partner"
                self.add_error(blank, "Choose a program or “No match” for both of you.")
                continue
            if mine == NO_MATCH and theirs == NO_MATCH:
                self.add_error(f"row{row}_you", "“No match” for both of you is not a row.")
                continue
            pair = (None if mine == NO_MATCH else mine, None if theirs == NO_MATCH else theirs)
            if pair in seen:
                self.add_error(f"row{row}_you", "This pair is already on the list above.")
                continue
            seen.add(pair)
            rows.append(pair)
        if not rows and not self.errors:
            raise forms.ValidationError("Fill in at least one row.")
        data["rows"] = rows
        return data


# -- match cycles (administrators) --------------------------------------------------------------

MAX_QUOTA = 500


class CycleForm(forms.ModelForm):
    """A draft cycle's name, rules and dates (in the site's time zone)."""

    class Meta:
        formfield_callback = bounded_formfield
        model = MatchCycle
        fields = ["name", "rules", "rank_lists_open_at", "certification_deadline", "match_day"]
        widgets = {
            name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for name in ["rank_lists_open_at", "certification_deadline", "match_day"]
        }

    def clean(self):
        data = super().clean()
        opens, deadline, day = (
            data.get("rank_lists_open_at"),
            data.get("certification_deadline"),
            data.get("match_day"),
        )
        if opens and deadline and not opens < deadline:
            self.add_error(
                "certification_deadline", "The deadline must come after rank lists open."
            )
        if deadline and day and not deadline <= day:
            self.add_error("match_day", "Match day cannot come before the certification deadline.")
        return data


class CycleProgramForm(forms.Form):
    program = BoundedIntegerField(
        min_value=1,
        max_value=2**31 - 1,
        label="Catalog program number",
        help_text="The number in the program's catalog address (/catalog/programs/123/ is 123).",
    )
    quota = BoundedIntegerField(min_value=1, max_value=MAX_QUOTA, label="Positions (quota)")
    revert_to = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Unfilled positions revert to (NRMP)",
        help_text="Another program of this cycle that gets this one's unfilled positions.",
    )

    def __init__(self, cycle, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.fields["revert_to"].queryset = cycle.programs.select_related("program")

    def clean_program(self):
        program = Program.objects.filter(pk=self.cleaned_data["program"]).first()
        if program is None:
            raise forms.ValidationError("No program in the catalog has this number.")
        if self.cycle.programs.filter(program=program).exists():
            raise forms.ValidationError("This program is already in the cycle.")
        return program


class BulkAddForm(forms.Form):
    specialty = forms.ModelChoiceField(queryset=None, label="Specialty")
    country = forms.ChoiceField(
        choices=[("", "Any country"), ("US", "United States"), ("CA", "Canada")],
        required=False,
    )
    quota = BoundedIntegerField(
        min_value=1, max_value=MAX_QUOTA, label="Positions (quota) for each program"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].queryset = Specialty.objects.order_by("name")


class LockForm(forms.Form):
    confirm_early = forms.BooleanField(
        required=False,
        label="Lock before the certification deadline",
        help_text="Lists not yet certified can then no longer be certified.",
    )


class CancelRunForm(forms.Form):
    """Which run to cancel: the one the page showed, so a click never cancels a newer run."""

    run = BoundedIntegerField(min_value=1, max_value=2**31 - 1, label="Run")

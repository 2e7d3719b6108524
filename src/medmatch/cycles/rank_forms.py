"""Forms of the rank list pages. Every key a list page posts (a program, a pair, an applicant) is
checked against the list as it is now: a page left open while the list changed gets a message
saying so, never a wrong move."""

from django import forms

from medmatch.cycles.models import CycleApplicant, CycleProgram, StudentRankList
from medmatch.cycles.rank_lists import (
    CODE_LENGTH,
    MAX_PROGRAM_LIST,
    MAX_STUDENT_LIST,
    moved,
    pair_order,
    student_order,
)
from medmatch.lib.forms import BoundedIntegerField, IdField, parse_id

STALE = "This is no longer on the list (it may have just changed): here is the list as it is now."
NO_MATCH = "none"
MAX_CSV_BYTES = 1_000_000


class IdChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` that refuses a value which is not an id before the query (10^20
    would overflow the database driver)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if parse_id(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Find a program of this cycle",
        help_text="Part of the program's title or hospital.",
    )


class AddProgramForm(forms.Form):
    """Add a program of the cycle to the end of the main list, or of an advanced program's
    supplemental list (``primary``)."""

    cycle_program = IdChoiceField(queryset=None, widget=forms.HiddenInput)
    primary = IdChoiceField(queryset=None, required=False, label="For the advanced program")

    def __init__(self, rank_list: StudentRankList, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rank_list = rank_list
        programs = CycleProgram.objects.filter(cycle=rank_list.cycle)
        self.fields["cycle_program"].queryset = programs
        self.fields["primary"].queryset = programs.filter(
            pk__in=student_order(rank_list), track="advanced"
        )

    def clean(self):
        data = super().clean()
        program, primary = data.get("cycle_program"), data.get("primary")
        if program is None:
            return data
        group = student_order(self.rank_list, primary.pk if primary else None)
        if program.pk in group:
            self.add_error("cycle_program", f"{program.program.title} is already on this list.")
        elif primary is not None and program.track != "preliminary":
            self.add_error("cycle_program", "A supplemental list ranks preliminary programs only.")
        elif len(group) >= MAX_STUDENT_LIST:
            self.add_error("cycle_program", f"A list holds at most {MAX_STUDENT_LIST} programs.")
        return data


class MoveForm(forms.Form):
    """Move one item of a list up or down, or take it off: the button pressed sends
    ``move=<action>-<item key>``. ``keys`` are the list's items in order; ``index`` in the cleaned
    data is where the item is now."""

    move = forms.RegexField(
        regex=r"^(up|down|remove)-[0-9]{1,19}$",
        max_length=30,
        error_messages={"invalid": "Use the Up, Down and Remove buttons of the list."},
    )

    def __init__(self, keys, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = list(keys)

    def clean(self):
        data = super().clean()
        if "move" in data:
            action, _, raw = data["move"].partition("-")
            item = parse_id(raw)
            if item not in self.keys:
                self.add_error("move", STALE)
            else:
                data["action"], data["index"] = action, self.keys.index(item)
        return data

    def apply(self, order: list) -> list:
        """``order`` (the list's values, parallel to ``keys``) after the move."""
        index, action = self.cleaned_data["index"], self.cleaned_data["action"]
        if action == "remove":
            return order[:index] + order[index + 1 :]
        return moved(order, index, -1 if action == "up" else 1)


class StudentMoveForm(MoveForm):
    primary = IdField(required=False)

    def __init__(self, rank_list: StudentRankList, data=None):
        primary = parse_id(str((data or {}).get("primary") or "")) if data else None
        super().__init__(student_order(rank_list, primary), data)


class RankNumbersForm(forms.Form):
    """A rank number for every item of a list (the no-JavaScript way to reorder, and what the
    drag-and-drop script sends). Only the order of the numbers counts; a number used twice is
    refused naming both rows."""

    def __init__(self, items: list[tuple[int, str]], *args, limit: int = 9999, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for number, (key, label) in enumerate(items, start=1):
            self.fields[f"rank_{key}"] = BoundedIntegerField(
                min_value=1,
                max_value=limit,
                label=f"Rank of {label}",
                initial=number,
                error_messages={
                    "required": f"Give {label} a rank number.",
                    "invalid": f"The rank of {label} must be a whole number (0-9).",
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "rank-input"}),
            )

    def rows(self):
        return [(key, label, self[f"rank_{key}"]) for key, label in self.items]

    def clean(self):
        data = super().clean()
        by_number: dict[int, list[tuple[int, str]]] = {}
        for key, label in self.items:
            number = data.get(f"rank_{key}")
            if number is not None:
                by_number.setdefault(number, []).append((key, label))
        for number, same in by_number.items():
            for key, _label in same[1:]:
                self.add_error(f"rank_{key}", f"Rank {number} is also given to {same[0][1]}.")
        numbers = {key: data[f"rank_{key}"] for key, _ in self.items if f"rank_{key}" in data}
        data["order"] = sorted(numbers, key=lambda key: numbers[key])
        return data


class ProposeForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label="Your partner's email address",
        help_text="The address of their medmatch account.",
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])


class PairForm(forms.Form):
    """One pair of the joint list: the proposer's program and the partner's (or no match)."""

    proposer_program = forms.ChoiceField(label="Program of the first partner")
    partner_program = forms.ChoiceField(label="Program of the second partner")

    def __init__(self, cycle, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programs = CycleProgram.objects.filter(cycle=cycle).select_related("program__institution")
        choices = [(NO_MATCH, "No match"), *((str(p.pk), str(p.program)) for p in programs)]
        self.fields["proposer_program"].choices = choices
        self.fields["partner_program"].choices = choices

    def clean(self):
        data = super().clean()
        a, b = data.get("proposer_program"), data.get("partner_program")
        if a == NO_MATCH and b == NO_MATCH:
            raise forms.ValidationError("“No match” for both of you is not a pair.")
        if a and b:
            data["pair"] = (None if a == NO_MATCH else int(a), None if b == NO_MATCH else int(b))
        return data


def pair_keys(joint) -> list[int]:
    return list(joint.pairs.order_by("rank").values_list("pk", flat=True))


class PairMoveForm(MoveForm):
    def __init__(self, joint, data=None):
        super().__init__(pair_keys(joint), data)
        self.joint = joint

    def new_pairs(self) -> list:
        return self.apply(pair_order(self.joint))


class ApplicantAddForm(forms.Form):
    """Add an applicant to a program's list: one the program interviewed (``student``) or anyone
    of the cycle by their applicant code."""

    student = IdField(required=False)
    code = forms.CharField(
        required=False,
        max_length=CODE_LENGTH + 4,
        label="Applicant code",
        help_text="The 8-character code the applicant sees on their rank list page.",
    )

    def __init__(self, cycle_program, candidates: set[int], on_list: list[int], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle_program = cycle_program
        self.candidates = candidates
        self.on_list = on_list

    def clean(self):
        data = super().clean()
        student, code = data.get("student"), (data.get("code") or "").strip().upper()
        if self.errors:
            return data
        if code:
            found = CycleApplicant.objects.filter(
                cycle=self.cycle_program.cycle_id, code=code
            ).first()
            if found is None:
                self.add_error("code", f"No applicant of this cycle has code {code}.")
                return data
            student = found.student_id
        elif student is None or student not in self.candidates:
            self.add_error("code", "Type an applicant code, or add an interviewed applicant.")
            return data
        if student in self.on_list:
            self.add_error("code", "This applicant is already on the list.")
        elif len(self.on_list) >= MAX_PROGRAM_LIST:
            self.add_error("code", f"A list holds at most {MAX_PROGRAM_LIST} applicants.")
        data["student_id"] = student
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        widget=forms.FileInput,
        label="CSV file",
        help_text="A header row with a “code” column and optionally a “rank” column.",
    )
    text = forms.CharField(
        required=False,
        max_length=MAX_CSV_BYTES,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Or paste the CSV",
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label="Only preview (change nothing)",
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), data.get("text") or ""
        if upload:
            if upload.size > MAX_CSV_BYTES:
                raise forms.ValidationError("The file is larger than 1 MB.")
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError("The file is not UTF-8 text.") from error
        if not text.strip():
            raise forms.ValidationError("Choose a CSV file or paste its text.")
        data["csv_text"] = text
        return data

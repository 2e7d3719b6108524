"""The goals questionnaire: one small form per question, grouped into steps.

Each question form turns its fields into the question's part of the ``medmatch-goals/1`` JSON
(``to_answer``; ``None`` = not answered) and back (``initial_from``). Every answer carries how much
it matters (``weight`` 0..5) and whether it is a deal-breaker. The help texts say why a question
matters, in the words of the seed article ("Clarify what you want from the experience").
"""

from __future__ import annotations

import re

from django import forms

from medmatch.fit.goals import MAX_WEIGHT
from medmatch.lib.forms import BoundedIntegerField, one_line
from medmatch.lib.geo import PlaceNotFound, resolve_place

WEIGHT_CHOICES = [
    (0, "0 - not important"),
    (1, "1 - a little"),
    (2, "2 - somewhat"),
    (3, "3 - important"),
    (4, "4 - very important"),
    (5, "5 - essential"),
]
MAX_MONTHS = 120  # ten years: longer than any residency or fellowship
MAX_AMOUNT = 10_000_000  # US$: past any stipend or cost; beyond it a number is a typo
INTEREST_CHOICES = [(w, str(w)) for w in range(1, int(MAX_WEIGHT) + 1)]
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "PR",
        "GU",
        "VI",
        "AS",
        "MP",
    ]
)
CA_PROVINCES = frozenset(
    ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]
)
MAX_INTERESTS = 4


def _codes(text: str) -> list[str]:
    return [code for code in re.split(r"[\s,;]+", text.strip()) if code]


class QuestionForm(forms.Form):
    """Base: the weight and deal-breaker every answer has, and the JSON round trip."""

    question = ""  # key in the goals JSON
    title = ""
    why = ""  # why the question matters, shown under the title
    default_weight = 3

    weight = forms.TypedChoiceField(
        label="How much it matters", choices=WEIGHT_CHOICES, coerce=int, initial=3
    )
    dealbreaker = forms.BooleanField(
        label="Deal-breaker: hide programs known not to meet this", required=False
    )

    def __init__(self, *args, answer: dict | None = None, **kwargs):
        kwargs.setdefault("prefix", self.question)
        if answer is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "weight": round(answer.get("weight", self.default_weight)),
                "dealbreaker": answer.get("dealbreaker", False),
                **self.initial_from(answer),
            }
        super().__init__(*args, **kwargs)
        self.fields["weight"].initial = self.default_weight
        self.answered = answer is not None

    def initial_from(self, answer: dict) -> dict:
        return {}

    def value(self) -> dict | None:
        """The question's own fields as JSON, or None when left blank."""
        raise NotImplementedError

    def to_answer(self) -> dict | None:
        value = self.value()
        if value is None:
            return None
        return {
            **value,
            "weight": self.cleaned_data["weight"],
            "dealbreaker": self.cleaned_data["dealbreaker"],
        }

    def value_fields(self):
        return [f for f in self.visible_fields() if f.name not in ("weight", "dealbreaker")]


class ObjectiveForm(QuestionForm):
    question = "objective"
    title = "Main objective"
    why = (
        "Having a clear idea of the main objective narrows the choices and saves time: some "
        "students want hands-on clinical exposure, others research or mentorship from "
        "experienced physicians, others a look at several specialties."
    )
    default_weight = 3

    value_choice = forms.ChoiceField(
        label="What do you want most from the internship?",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("clinical", "Hands-on clinical skills"),
            ("research", "Research experience"),
            ("mentorship", "Mentorship from experienced physicians"),
            ("exploring", "Exploring specialties"),
        ],
    )

    def initial_from(self, answer):
        return {"value_choice": answer.get("value")}

    def value(self):
        choice = self.cleaned_data["value_choice"]
        return {"value": choice} if choice else None


class SpecialtiesForm(QuestionForm):
    question = "specialties"
    title = "Specialties of interest"
    why = (
        "Matching the internship's focus to your long-term goals is key: someone planning on "
        "cardiology benefits from a strong cardiovascular department. If you are still "
        "exploring, programs that expose you to several specialties are offered first instead."
    )
    default_weight = 5

    exploring = forms.BooleanField(label="I am still exploring", required=False)

    def __init__(self, *args, specialty_choices=(), **kwargs):
        self.specialty_choices = [("", "—"), *specialty_choices]
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_INTERESTS + 1):
            self.fields[f"specialty_{n}"] = forms.ChoiceField(
                label=f"Specialty {n}", choices=self.specialty_choices, required=False
            )
            self.fields[f"interest_{n}"] = forms.TypedChoiceField(
                label=f"Interest in specialty {n} (1 to 5)",
                choices=INTEREST_CHOICES,
                coerce=int,
                initial=5 if n == 1 else 3,
                required=False,
            )
        order = ["exploring"]
        for n in range(1, MAX_INTERESTS + 1):
            order += [f"specialty_{n}", f"interest_{n}"]
        self.order_fields([*order, "weight", "dealbreaker"])

    def initial_from(self, answer):
        initial = {"exploring": answer.get("exploring", False)}
        for n, interest in enumerate(answer.get("interests", [])[:MAX_INTERESTS], start=1):
            initial[f"specialty_{n}"] = interest["specialty"]
            initial[f"interest_{n}"] = round(interest.get("weight", 5))
        return initial

    def interest_rows(self):
        return [
            (self[f"specialty_{n}"], self[f"interest_{n}"]) for n in range(1, MAX_INTERESTS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        seen = set()
        for n in range(1, MAX_INTERESTS + 1):
            key = cleaned.get(f"specialty_{n}")
            if key and key in seen:
                self.add_error(f"specialty_{n}", "This specialty is already listed above.")
            seen.add(key)
        return cleaned

    def value(self):
        interests = []
        for n in range(1, MAX_INTERESTS + 1):
            key = self.cleaned_data.get(f"specialty_{n}")
            if key:
                weight = self.cleaned_data.get(f"interest_{n}") or 3
                interests.append({"specialty": key, "weight": weight})
        exploring = self.cleaned_data["exploring"]
        if not interests and not exploring:
            return None
        return {"interests": interests, "exploring": exploring}


class SettingForm(QuestionForm):
    question = "setting"
    title = "Academic or community setting"
    why = (
        "Would you prefer an academic hospital or a smaller community setting? Academic centres "
        "tend to offer teaching, research and many specialties; community hospitals often more "
        "hands-on responsibility and a closer team."
    )
    default_weight = 2

    value_choice = forms.ChoiceField(
        label="Setting",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", "No preference"),
            ("academic", "Academic / university hospital"),
            ("community", "Community hospital"),
        ],
    )

    def initial_from(self, answer):
        return {"value_choice": answer.get("value")}

    def value(self):
        choice = self.cleaned_data["value_choice"]
        return {"value": choice} if choice else None


class AreaForm(QuestionForm):
    question = "area"
    title = "City, town or countryside"
    why = (
        "Where you live for three years matters as much as where you train. Read from the "
        "program's ZIP code with the USDA's rural-urban commuting areas (RUCA 2020): a "
        "metropolitan area, a large rural town, or a small town or rural area."
    )
    default_weight = 2

    value_choice = forms.ChoiceField(
        label="Where would you rather live?",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", "No preference"),
            ("city", "A city (metropolitan area)"),
            ("town", "A town (large rural town)"),
            ("rural", "The countryside (small town or rural area)"),
        ],
    )

    def initial_from(self, answer):
        return {"value_choice": answer.get("value")}

    def value(self):
        choice = self.cleaned_data["value_choice"]
        return {"value": choice} if choice else None


class TeachingForm(QuestionForm):
    question = "teaching"
    title = "Teaching intensity"
    why = (
        "How many residents train per hospital bed, and whether the program is growing, tell "
        "how much of the hospital is built around teaching (Medicare cost reports, 2017-2021). "
        "Many residents per bed: more teaching conferences and colleagues; few: more hands-on "
        "responsibility."
    )
    default_weight = 2

    value_choice = forms.ChoiceField(
        label="Teaching intensity you want",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", "No preference"),
            ("high", "High: a major teaching hospital, growing programs"),
            ("low", "Low: a smaller teaching presence"),
        ],
    )

    def initial_from(self, answer):
        return {"value_choice": answer.get("value")}

    def value(self):
        choice = self.cleaned_data["value_choice"]
        return {"value": choice} if choice else None


class TraumaForm(QuestionForm):
    question = "trauma"
    title = "Trauma centre"
    why = (
        "For emergency medicine and surgery, a trauma centre's level decides which injuries you "
        "see (Level I: every kind, with research and teaching). From HIFLD; many hospitals' "
        "level is not published and stays unknown."
    )
    default_weight = 2

    level = forms.TypedChoiceField(
        label="At least",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "No preference"),
            (1, "Level I"),
            (2, "Level II"),
            (3, "Level III"),
            (4, "Level IV"),
        ],
    )

    def initial_from(self, answer):
        return {"level": answer.get("level")}

    def value(self):
        level = self.cleaned_data.get("level")
        return None if level is None else {"level": level}


class LocationForm(QuestionForm):
    question = "location"
    title = "Location"
    why = (
        "Location shapes your daily life, your cost of living and who you meet; being near "
        "family or the place you want to practise later can matter as much as the program."
    )
    default_weight = 3

    place = forms.CharField(
        label="Near (US ZIP code or city)",
        required=False,
        max_length=120,
        validators=[one_line("Location")],
        help_text="For example 02115, “Boston, MA”, “Toronto” or “Lyon, FR”.",
    )
    radius_km = forms.FloatField(
        label="Within (km)", min_value=1, max_value=20000, initial=150, required=False
    )

    def initial_from(self, answer):
        place = (answer.get("places") or [{}])[0]
        return {"place": place.get("label", ""), "radius_km": place.get("radius_km")}

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("place") or "").strip()
        cleaned["resolved"] = None
        if not text:
            return cleaned
        previous = (self.initial.get("place") or "").strip()
        if text == previous and self.previous_place:
            cleaned["resolved"] = self.previous_place
            return cleaned
        try:
            found = resolve_place(text)
        except PlaceNotFound as error:
            self.add_error("place", f"Location: {error}")
            return cleaned
        cleaned["resolved"] = {
            "latitude": found.latitude,
            "longitude": found.longitude,
            "label": found.label,
        }
        return cleaned

    def __init__(self, *args, answer=None, **kwargs):
        super().__init__(*args, answer=answer, **kwargs)
        places = (answer or {}).get("places") or []
        self.previous_place = (
            {k: places[0][k] for k in ("latitude", "longitude", "label")} if places else None
        )

    def value(self):
        resolved = self.cleaned_data.get("resolved")
        if not resolved:
            return None
        radius = self.cleaned_data.get("radius_km") or 150
        return {"places": [{**resolved, "radius_km": radius}]}


class RegionsForm(QuestionForm):
    question = "regions"
    title = "States or provinces"
    why = "If you can only move within some states or provinces, list them."
    default_weight = 2

    codes = forms.CharField(
        label="States or provinces",
        required=False,
        max_length=300,
        help_text="Codes separated by commas: MA, NY, ON or US-MA, CA-ON.",
    )

    def initial_from(self, answer):
        return {"codes": ", ".join(answer.get("codes", []))}

    def clean_codes(self):
        out = []
        for code in _codes(self.cleaned_data["codes"].upper()):
            if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code):
                out.append(code)
            elif code in US_STATES:
                out.append(f"US-{code}")
            elif code in CA_PROVINCES:
                out.append(f"CA-{code}")
            else:
                raise forms.ValidationError(
                    f"Regions: “{code}” is not a US state or Canadian province code "
                    "(use a code like MA, ON or US-MA)."
                )
        return out

    def value(self):
        codes = self.cleaned_data["codes"]
        return {"codes": codes} if codes else None


class CountriesForm(QuestionForm):
    question = "countries"
    title = "Countries"
    why = (
        "An internship abroad gives exposure to other health-care systems and cultures; list the "
        "countries you would train in (or leave empty for anywhere)."
    )
    default_weight = 3

    codes = forms.CharField(
        label="Countries",
        required=False,
        max_length=300,
        help_text="Two-letter codes separated by commas, e.g. US, CA, GB.",
    )

    def initial_from(self, answer):
        return {"codes": ", ".join(answer.get("codes", []))}

    def clean_codes(self):
        codes = _codes(self.cleaned_data["codes"].upper())
        for code in codes:
            if not re.fullmatch(r"[A-Z]{2}", code):
                raise forms.ValidationError(
                    f"Countries: “{code}” is not a two-letter country code (e.g. US, CA)."
                )
        return codes

    def value(self):
        codes = self.cleaned_data["codes"]
        return {"codes": codes} if codes else None


class InternationalForm(QuestionForm):
    question = "international"
    title = "International openness"
    why = (
        "An international program offers exposure to different health-care systems and "
        "cultures; say whether you want to stay home, go abroad, or don't mind."
    )
    default_weight = 2

    openness = forms.ChoiceField(
        label="Where would you train?",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", "Either: no preference"),
            ("home", "In my home country"),
            ("abroad", "Abroad"),
        ],
    )
    home_country = forms.CharField(
        label="Home country (two-letter code)", initial="US", max_length=2
    )

    def initial_from(self, answer):
        return {"openness": answer.get("openness"), "home_country": answer.get("home_country")}

    def clean_home_country(self):
        code = self.cleaned_data["home_country"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise forms.ValidationError("Home country: use a two-letter code such as US or CA.")
        return code

    def value(self):
        openness = self.cleaned_data["openness"]
        if not openness:
            return None
        return {"openness": openness, "home_country": self.cleaned_data["home_country"]}


class LengthForm(QuestionForm):
    question = "length"
    title = "Program length"
    why = "Programs run from a few weeks to several years; say how long you can commit."
    default_weight = 2

    min_months = forms.FloatField(
        label="At least (months)", required=False, min_value=0, max_value=MAX_MONTHS
    )
    max_months = forms.FloatField(
        label="At most (months)", required=False, min_value=0.5, max_value=MAX_MONTHS
    )

    def initial_from(self, answer):
        return {"min_months": answer.get("min_months"), "max_months": answer.get("max_months")}

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_months"), cleaned.get("max_months")
        if low is not None and high is not None and low > high:
            self.add_error("max_months", "Length: “at most” must not be below “at least”.")
        return cleaned

    def value(self):
        low, high = self.cleaned_data.get("min_months"), self.cleaned_data.get("max_months")
        if low is None and high is None:
            return None
        return {"min_months": low, "max_months": high}


class HoursForm(QuestionForm):
    question = "hours"
    title = "Pace and weekly hours"
    why = (
        "Some hospitals have demanding schedules that build resilience, while others offer a "
        "steadier pace that allows for deeper learning and reflection."
    )
    default_weight = 3

    pace = forms.ChoiceField(
        label="Pace",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", "No preference"),
            ("demanding", "Demanding: I want to build resilience"),
            ("steady", "Steady: time for learning and reflection"),
        ],
    )
    max_weekly_hours = forms.FloatField(
        label="At most (hours a week)", required=False, min_value=1, max_value=168
    )

    def initial_from(self, answer):
        pace = answer.get("pace")
        return {
            "pace": "" if pace == "either" else pace,
            "max_weekly_hours": answer.get("max_weekly_hours"),
        }

    def value(self):
        pace, most = self.cleaned_data["pace"], self.cleaned_data.get("max_weekly_hours")
        if not pace and most is None:
            return None
        return {"pace": pace or "either", "max_weekly_hours": most}


class StipendForm(QuestionForm):
    question = "stipend"
    title = "Stipend"
    why = "A stipend decides whether you can afford the program; few programs publish it."
    default_weight = 2

    min_amount = forms.FloatField(
        label="At least (US$ a year)", required=False, min_value=1, max_value=MAX_AMOUNT
    )

    def initial_from(self, answer):
        return {"min_amount": answer.get("min_amount")}

    def value(self):
        amount = self.cleaned_data.get("min_amount")
        return None if amount is None else {"min_amount": amount}


class CostForm(QuestionForm):
    question = "cost"
    title = "Budget for fees"
    why = "Some electives and observerships charge fees; say what you can pay."
    default_weight = 2

    max_amount = forms.FloatField(
        label="At most (US$)", required=False, min_value=0, max_value=MAX_AMOUNT
    )

    def initial_from(self, answer):
        return {"max_amount": answer.get("max_amount")}

    def value(self):
        amount = self.cleaned_data.get("max_amount")
        return None if amount is None else {"max_amount": amount}


class RentForm(QuestionForm):
    question = "rent"
    title = "Rent you can pay"
    why = (
        "Stipends are much the same everywhere; rent is not. Rent near each program is HUD's "
        "Fair Market Rent for a one-bedroom home (by ZIP in metro areas, else by county), so a "
        "cheaper place ranks higher, and one above your budget falls."
    )
    default_weight = 2

    max_monthly = BoundedIntegerField(
        label="At most (US$ a month, one bedroom)", required=False, min_value=1, max_value=20_000
    )

    def initial_from(self, answer):
        amount = answer.get("max_monthly")
        return {"max_monthly": None if amount is None else round(amount)}

    def value(self):
        amount = self.cleaned_data.get("max_monthly")
        return None if amount is None else {"max_monthly": amount}


class LanguagesForm(QuestionForm):
    question = "languages"
    title = "Working language"
    why = "You will learn faster, and care for patients better, in a language you speak well."
    default_weight = 2

    codes = forms.CharField(
        label="Languages you can work in",
        required=False,
        max_length=100,
        help_text="Two-letter codes separated by commas, e.g. en, fr.",
    )

    def initial_from(self, answer):
        return {"codes": ", ".join(answer.get("codes", []))}

    def clean_codes(self):
        codes = _codes(self.cleaned_data["codes"].lower())
        for code in codes:
            if not re.fullmatch(r"[a-z]{2,3}", code):
                raise forms.ValidationError(
                    f"Languages: “{code}” is not a language code (e.g. en, fr)."
                )
        return codes

    def value(self):
        codes = self.cleaned_data["codes"]
        return {"codes": codes} if codes else None


class VisaForm(QuestionForm):
    question = "visa"
    title = "Visa"
    why = (
        "An international graduate needs the program to sponsor a visa; programs that do not "
        "cannot take you whatever else they offer."
    )
    default_weight = 3

    needed = forms.ChoiceField(
        label="Visa you need",
        required=False,
        choices=[
            ("", "None (I don't need a visa)"),
            ("j1", "J-1"),
            ("h1b", "H-1B"),
            ("j1_or_h1b", "J-1 or H-1B"),
        ],
    )

    def initial_from(self, answer):
        return {"needed": answer.get("needed")}

    def value(self):
        needed = self.cleaned_data["needed"]
        return {"needed": needed} if needed else None


class ResidencyForm(QuestionForm):
    question = "residency"
    title = "Residency ambitions"
    why = (
        "Thinking ahead about residency helps: some programs have strong affiliations with "
        "residency tracks, allowing you to make professional connections early."
    )
    default_weight = 3

    affiliation = forms.BooleanField(
        label="I want a program affiliated with a residency in this specialty", required=False
    )

    def __init__(self, *args, specialty_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"] = forms.ChoiceField(
            label="Residency specialty",
            choices=[("", "My top specialty of interest"), *specialty_choices],
            required=False,
        )
        self.order_fields(["specialty", "affiliation", "weight", "dealbreaker"])

    def initial_from(self, answer):
        return {
            "specialty": answer.get("specialty") or "",
            "affiliation": answer.get("affiliation"),
        }

    def value(self):
        if not self.cleaned_data["affiliation"]:
            return None
        return {"specialty": self.cleaned_data.get("specialty") or None, "affiliation": True}


class TracksForm(QuestionForm):
    question = "tracks"
    title = "Residency track types"
    why = (
        "The NRMP offers each residency in tracks: categorical (the whole training), preliminary "
        "(one year before an advanced specialty), advanced (starts in the second year), reserved "
        "and physician. A student who wants to finish the training in one place wants "
        "categorical; preliminary years are a different plan. (A transitional year is a "
        "specialty: choose it among your specialties.)"
    )
    default_weight = 4

    codes = forms.MultipleChoiceField(
        label="Tracks you want",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("categorical", "Categorical"),
            ("preliminary", "Preliminary"),
            ("advanced", "Advanced"),
            ("reserved", "Reserved"),
            ("physician", "Physician"),
        ],
    )

    def initial_from(self, answer):
        return {"codes": answer.get("codes", [])}

    def value(self):
        codes = self.cleaned_data["codes"]
        return {"codes": codes} if codes else None


STEPS = [
    ("objective", "Objective", [ObjectiveForm]),
    ("specialties", "Specialties", [SpecialtiesForm]),
    (
        "place",
        "Setting and place",
        [
            SettingForm,
            TeachingForm,
            TraumaForm,
            AreaForm,
            LocationForm,
            RegionsForm,
            CountriesForm,
            InternationalForm,
        ],
    ),
    ("schedule", "Length and pace", [LengthForm, HoursForm]),
    (
        "practical",
        "Money, language, visa",
        [StipendForm, RentForm, CostForm, LanguagesForm, VisaForm],
    ),
    ("residency", "Residency", [ResidencyForm, TracksForm]),
]
STEP_SLUGS = [slug for slug, _, _ in STEPS]
QUESTION_TITLES = {form.question: form.title for _, _, forms_ in STEPS for form in forms_}

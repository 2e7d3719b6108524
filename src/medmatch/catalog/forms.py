from django import forms

from medmatch.catalog import search
from medmatch.catalog.models import Institution, Program
from medmatch.lib.forms import BoundedIntegerField, parse_id
from medmatch.lib.geo import AmbiguousPlace, PlaceNotFound, region_code, resolve_place

_ANY = [("", "Any")]
TEACHING_CHOICES = [("yes", "Teaching hospital"), ("no", "Not teaching"), ("unknown", "Unknown")]
MAX_PAGE = 100_000  # far past the last page of any catalog; beyond it a number is only noise
SORT_LABELS = {
    search.RELEVANCE: "Best match",
    search.NAME: "Name",
    search.DISTANCE: "Distance",
    search.CITY: "State and city",
}


class _CatalogSearchForm(forms.Form):
    """A GET form: every filter is validated, and an error names its field."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    country = forms.ChoiceField(label="Country", required=False)
    region = forms.CharField(label="State or province", required=False, max_length=120)
    kind = forms.ChoiceField(
        label="Kind of institution", required=False, choices=_ANY + Institution.Kind.choices
    )
    teaching = forms.ChoiceField(
        label="Teaching status", required=False, choices=_ANY + TEACHING_CHOICES
    )
    near = forms.CharField(label="Near (ZIP code or city)", required=False, max_length=100)
    radius = BoundedIntegerField(label="Within (km)", required=False, min_value=1, max_value=20000)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("", "Automatic"), *SORT_LABELS.items()],
    )
    page = BoundedIntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["country"].choices = _ANY + search.country_choices()
        placeholders = {
            "q": "e.g. cardiology, pediatrics Boston",
            "near": "e.g. 10032 or Toronto",
            "region": "e.g. NY or Ontario",
        }
        for name, text in placeholders.items():
            self.fields[name].widget.attrs["placeholder"] = text
        self.fields["q"].widget.input_type = "search"
        for field in self.fields.values():
            field.widget.attrs.setdefault("autocomplete", "off")

    # Cities of the name typed in "near" when it is ambiguous, each a query that finds one.
    place_candidates: list[str] = []

    def clean_near(self):
        text = self.cleaned_data["near"].strip()
        if not text:
            return None
        try:
            return resolve_place(text)
        except AmbiguousPlace as exc:
            # The page lists the cities as links below the message.
            self.place_candidates = exc.candidates
            raise forms.ValidationError(
                f"Several cities are called “{text}”: pick one below, or type “City, ST”."
            ) from exc
        except PlaceNotFound as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_region(self):
        # "Texas" and "Ontario" as well as TX and ON: the catalog stores the codes.
        text = self.cleaned_data["region"].strip()
        known = region_code(text)
        return known[1] if known else text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sort") == search.RELEVANCE and not search.search_terms(
            cleaned.get("q") or ""
        ):
            # Best match ranks by the words; without any there is nothing to rank by.
            self.add_error("sort", "Sorting by best match needs words in “search”.")
        if cleaned.get("sort") == search.DISTANCE and not self.data.get("near"):
            self.add_error("sort", "Sorting by distance needs a place in “near”.")
        if cleaned.get("radius") and not self.data.get("near"):
            self.add_error("radius", "A distance needs a place in “near”.")
        return cleaned

    def error_lines(self) -> list[str]:
        """Every error as "field: message", for the summary above the results."""
        return [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in self.errors.items()
            for message in messages
        ]

    def _common(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "country": data.get("country") or "",
            "region": (data.get("region") or "").strip(),
            "kind": data.get("kind") or "",
            "teaching": data.get("teaching") or "",
            "near": data.get("near"),
            "radius_km": float(data["radius"]) if data.get("radius") else None,
            "sort": data.get("sort") or "",
            "page": data.get("page") or 1,
        }


class ProgramSearchForm(_CatalogSearchForm):
    specialty = forms.ChoiceField(label="Specialty", required=False)
    program_type = forms.ChoiceField(label="Program type", required=False)
    track_type = forms.ChoiceField(
        label="Track type", required=False, choices=_ANY + Program.TrackType.choices
    )

    field_order = ["q", "near", "radius", "specialty", "program_type", "track_type"]

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["specialty"].choices = _ANY + search.specialty_slug_choices()
        self.fields["specialty"].help_text = search.OUTSIDE_NRMP_HINT
        # Only kinds that exist, with counts: offering "Observership" with none behind it misleads.
        self.fields["program_type"].choices = _ANY + search.program_type_choices()
        self.fields["program_type"].help_text = search.PROGRAM_TYPE_HINT

    def to_query(self) -> search.ProgramQuery:
        data = self.cleaned_data
        return search.ProgramQuery(
            **self._common(),
            specialty=data.get("specialty") or "",
            program_type=data.get("program_type") or "",
            track_type=data.get("track_type") or "",
        )


class InstitutionSearchForm(_CatalogSearchForm):
    field_order = ["q", "near", "radius", "kind"]

    def to_query(self) -> search.InstitutionQuery:
        return search.InstitutionQuery(**self._common())


MAX_COMPARED = 4


def parse_compare_ids(values: list[str]) -> tuple[list[int], list[str]]:
    """Up to MAX_COMPARED distinct program ids from ``?p=`` values, and what was left out."""
    messages = []
    ids: list[int] = []
    for raw in values:
        number = parse_id(raw)
        if number is None:
            messages.append(f"p: “{raw[:20]}” is not a program number.")
        elif number not in ids:
            ids.append(number)
    if len(ids) > MAX_COMPARED:
        messages.append(
            f"p: compare shows up to {MAX_COMPARED} programs side by side; "
            f"showing the first {MAX_COMPARED} of {len(ids)}."
        )
        ids = ids[:MAX_COMPARED]
    return ids, messages

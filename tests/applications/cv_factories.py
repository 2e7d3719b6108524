"""A realistic CV for the CV and statement tests (fictional person, written for the tests)."""

import datetime

from medmatch.applications.models import CVEntry

D = datetime.date


def make_entry(student, section, title, **fields) -> CVEntry:
    position = fields.pop("position", CVEntry.objects.filter(student=student).count())
    return CVEntry.objects.create(
        student=student, section=section, title=title, position=position, **fields
    )


def make_cv(student) -> dict[str, CVEntry]:
    S = CVEntry.Section
    return {
        "md": make_entry(
            student,
            S.EDUCATION,
            "Doctor of Medicine (MD), expected",
            organisation="University of Michigan Medical School",
            location="Ann Arbor, MI",
            start_date=D(2022, 8, 1),
        ),
        "bs": make_entry(
            student,
            S.EDUCATION,
            "BS in Biochemistry, summa cum laude",
            organisation="Ohio State University",
            location="Columbus, OH",
            start_date=D(2017, 9, 1),
            end_date=D(2021, 5, 1),
        ),
        "aoa": make_entry(
            student,
            S.HONOURS,
            "Alpha Omega Alpha Honor Medical Society",
            organisation="University of Michigan chapter",
            start_date=D(2025, 3, 1),
            end_date=D(2025, 3, 1),
        ),
        "heart": make_entry(
            student,
            S.RESEARCH,
            "Readmissions after heart failure discharge",
            organisation="Department of Internal Medicine, Michigan Medicine",
            start_date=D(2023, 6, 1),
            end_date=D(2024, 8, 1),
            hours_per_week=10,
            total_hours=600,
            description=(
                "Built a registry of 1,240 heart failure admissions and measured 30-day "
                "readmission after a pharmacist-led discharge visit; presented the results at "
                "the Society of General Internal Medicine regional meeting."
            ),
            tags=["internal-medicine", "cardiology", "registry"],
            most_meaningful=True,
        ),
        "clinic": make_entry(
            student,
            S.CLINICAL,
            "Student clinician, Hope Free Clinic",
            organisation="Hope Clinic",
            location="Ypsilanti, MI",
            start_date=D(2022, 10, 1),
            hours_per_week=4,
            total_hours=320,
            description=(
                "Take histories and present uninsured adults with diabetes and hypertension to "
                "attending internists; started a foot-exam checklist now used at every visit."
            ),
            tags=["internal-medicine", "primary-care"],
            most_meaningful=True,
        ),
        "tutor": make_entry(
            student,
            S.TEACHING,
            "Anatomy peer tutor",
            organisation="University of Michigan Medical School",
            start_date=D(2023, 1, 1),
            end_date=D(2023, 12, 1),
            hours_per_week=3,
        ),
        "food": make_entry(
            student,
            S.VOLUNTEERING,
            "Food bank shift lead",
            organisation="Food Gatherers",
            location="Ann Arbor, MI",
            start_date=D(2019, 1, 1),
            end_date=D(2021, 5, 1),
            total_hours=180,
        ),
        "skills": make_entry(
            student, S.SKILLS, "Point-of-care ultrasound; R and REDCap", tags=["pocus", "r"]
        ),
        "spanish": make_entry(student, S.LANGUAGES, "Spanish (professional working proficiency)"),
    }

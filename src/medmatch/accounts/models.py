"""People who use medmatch. One custom user model from the start, so roles live on the user."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from medmatch.lib.forms import validate_time_zone_name


class LicensingExams(models.TextChoices):
    USMLE = "usmle", "USMLE"
    COMLEX = "comlex", "COMLEX-USA"
    BOTH = "both", "USMLE and COMLEX-USA"
    NONE = "none", "Not taken yet"


class EcfmgStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Not applicable (US or Canadian medical school)"
    NOT_STARTED = "not_started", "Not applied yet"
    IN_PROGRESS = "in_progress", "Requirements in progress"
    CERTIFIED = "certified", "ECFMG certified"


class User(AbstractUser):
    class Role(models.TextChoices):
        STUDENT = "student", "Student"
        COORDINATOR = "coordinator", "Program coordinator"
        MATCH_ADMIN = "match_admin", "Match administrator"

    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.STUDENT)
    # Demo accounts hold fictional data; every page they see says so.
    is_demo = models.BooleanField(default=False)
    # A self-service sign-up stays inactive until its owner opens the emailed link (so sign-up never
    # says whether an address is taken). Accounts made by staff count as confirmed; an inactive
    # account whose email is confirmed was switched off by staff.
    email_confirmed = models.BooleanField(default=True)

    # The student's name as it should appear on their CV and to recommenders, in any script and
    # any order ("Kim Min-jun", "José María Pérez García", "Nguyễn Thị Minh Khai"): one field,
    # not given/family, since no split fits every culture (W3C, "Personal names around the
    # world"). The preferred name is what medmatch calls them ("Min-jun").
    full_name = models.CharField("full name", max_length=150, blank=True)
    preferred_name = models.CharField("preferred name", max_length=80, blank=True)

    # The CV's contact block. Shown on the CV and in the recommender packet, nowhere else.
    phone = models.CharField("phone", max_length=40, blank=True)
    postal_address = models.TextField("postal address", max_length=300, blank=True)
    licensing_exams = models.CharField(
        "licensing exams", max_length=10, choices=LicensingExams.choices, blank=True
    )
    licensing_exam_status = models.CharField("licensing exam results", max_length=200, blank=True)
    ecfmg_status = models.CharField(
        "ECFMG certification", max_length=20, choices=EcfmgStatus.choices, blank=True
    )
    ecfmg_details = models.CharField("ECFMG details", max_length=200, blank=True)
    # The zone the student lives in (an IANA name), for showing a program's times in it as well;
    # "" = not said (then only the program's zone is shown).
    time_zone = models.CharField(
        "your time zone", max_length=64, blank=True, validators=[validate_time_zone_name]
    )

    REQUIRED_FIELDS = ["email"]

    def get_full_name(self) -> str:
        return self.full_name.strip() or super().get_full_name()

    def get_short_name(self) -> str:
        return self.preferred_name.strip() or self.get_full_name()

    @property
    def display_name(self) -> str:
        """The name others see (recommenders, the CV): the full name, else the username."""
        return self.get_full_name() or self.username

    @property
    def has_name(self) -> bool:
        return bool(self.get_full_name())

    def contact_lines(self) -> list[str]:
        """The CV's contact block, one line each; empty parts are left out."""
        lines = [" · ".join(part for part in (self.email, self.phone.strip()) if part)]
        lines += [line.strip() for line in self.postal_address.splitlines() if line.strip()]
        if self.licensing_exams:
            exams = self.get_licensing_exams_display()
            status = self.licensing_exam_status.strip()
            lines.append(f"{exams}: {status}" if status else exams)
        if self.ecfmg_status and self.ecfmg_status != EcfmgStatus.NOT_APPLICABLE:
            details = self.ecfmg_details.strip()
            label = f"ECFMG: {self.get_ecfmg_status_display()}"
            lines.append(f"{label} ({details})" if details else label)
        return [line for line in lines if line]

    @property
    def is_student(self) -> bool:
        return self.role == self.Role.STUDENT

    @property
    def awaits_confirmation(self) -> bool:
        return not self.email_confirmed and not self.is_active

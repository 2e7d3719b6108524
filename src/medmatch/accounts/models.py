"""People who use medmatch. One custom user model from the start, so roles live on the user."""

from django.contrib.auth.models import AbstractUser
from django.db import models


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

    REQUIRED_FIELDS = ["email"]

    @property
    def is_student(self) -> bool:
        return self.role == self.Role.STUDENT

    @property
    def awaits_confirmation(self) -> bool:
        return not self.email_confirmed and not self.is_active

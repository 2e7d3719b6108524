from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from medmatch.accounts.models import User


@admin.register(User)
class MedmatchUserAdmin(UserAdmin):
    list_display = ["username", "email", "role", "is_staff", "date_joined"]
    list_filter = ["role", "is_staff", "is_superuser", "is_active", "email_confirmed"]
    fieldsets = [*UserAdmin.fieldsets, ("Role", {"fields": ["role", "email_confirmed"]})]

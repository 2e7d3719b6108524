import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.accounts.archive import MAX_ARCHIVE_BYTES, ArchiveError
from medmatch.accounts.forms import (
    ConfirmSignupForm,
    DeleteAccountForm,
    ImportArchiveForm,
    ProfileForm,
    SignupForm,
)
from medmatch.accounts.models import User
from medmatch.accounts.services import (
    account_archive,
    account_confirm,
    account_delete,
    account_export,
    account_import,
    account_signup,
    account_unlock,
)
from medmatch.accounts.tokens import signup_token_generator
from medmatch.lib.client_ip import client_ip
from medmatch.lib.downloads import private_download
from medmatch.lib.middleware import accepts_uploads, answers_too_large

# The demo account is shared by everyone who tries medmatch: nobody may lock the others out.
DEMO_PROTECTED = (
    "The demo account is shared, so it cannot be deleted and its password and email address "
    "cannot be changed. Sign up for your own account to keep your work."
)


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("start")
    form = SignupForm(request.POST or None)
    if form.is_valid():
        base_url = request.build_absolute_uri("/")
        account_signup(form=form, base_url=base_url, client_address=client_ip(request))
        return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@require_GET
def signup_sent(request):
    return render(request, "accounts/signup_sent.html")


def _user_from_link(uidb64: str, token: str) -> User | None:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if not user.awaits_confirmation or not signup_token_generator.check_token(user, token):
        return None
    return user


@require_http_methods(["GET", "POST"])
def confirm_signup(request, uidb64: str, token: str):
    user = _user_from_link(uidb64, token)
    if user is None:
        return render(request, "accounts/signup_confirm.html", {"form": None}, status=404)
    form = ConfirmSignupForm(request.POST or None, user=user)
    if form.is_valid():
        account_confirm(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to medmatch. Your account is ready.")
        return redirect(_safe_next(request) or "start")
    return render(request, "accounts/signup_confirm.html", {"form": form})


def _safe_next(request) -> str | None:
    """The ?next= page to go to after confirming, when it is on this site (as log-in checks it)."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


class ResetPasswordConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a new password set through the emailed link also lifts a log-in lockout."""

    def form_valid(self, form):
        response = super().form_valid(form)
        account_unlock(user=form.user)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Saved your name and contact details.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})


@login_required
@private_download
def export_account(request):
    payload = json.dumps(account_export(user=request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    filename = f"medmatch-{request.user.username}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
@private_download
def export_archive(request):
    response = HttpResponse(account_archive(user=request.user), content_type="application/zip")
    filename = f"medmatch-{request.user.username}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _archive_too_large(request):
    # The body was never read: the form is bound to nothing, cleaned (its "required" error
    # dropped) and given the one error that applies.
    form = ImportArchiveForm(data={}, files={})
    form.full_clean()
    form.errors.clear()
    form.add_error("archive", f"archive: at most {MAX_ARCHIVE_BYTES // (1024 * 1024)} MB.")
    return render(request, "accounts/import.html", {"form": form}, status=413)


@login_required
@require_http_methods(["GET", "POST"])
@accepts_uploads(MAX_ARCHIVE_BYTES + 1024 * 1024)  # the archive and the form around it
@answers_too_large(_archive_too_large)
def import_archive(request):
    if request.user.is_demo:
        messages.error(request, DEMO_PROTECTED)
        return redirect("accounts:account")
    posted = request.method == "POST"
    form = ImportArchiveForm(request.POST, request.FILES) if posted else ImportArchiveForm()
    if form.is_valid():
        try:
            account_import(user=request.user, content=form.cleaned_data["archive"])
        except ArchiveError as error:
            form.add_error("archive", f"Nothing was imported. {error}")
        else:
            messages.success(request, "Imported your archive: your data is here now.")
            return redirect("accounts:account")
    return render(request, "accounts/import.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    if request.user.is_demo:
        messages.error(request, DEMO_PROTECTED)
        return redirect("accounts:account")
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, "You are logged out.")
    return redirect("home")

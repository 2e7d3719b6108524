"""Writes and reads that span every app holding a user's data: sign-up, export and deletion.

Each app that stores something of a user's adds it to the export by giving its AppConfig an
``export_user_data(user) -> dict`` method; deletion relies on every owned model's foreign key to
the user cascading, which the account tests check against the export.
"""

from datetime import UTC, datetime
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from medmatch.accounts.emails import (
    mail_allowed,
    send_signup_confirmation,
    send_signup_notice,
)
from medmatch.accounts.models import User

EXPORT_FORMAT = "medmatch-account-export"
EXPORT_VERSION = 1


def account_export(*, user: User) -> dict:
    data = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "full_name": user.full_name,
            "preferred_name": user.preferred_name,
            "phone": user.phone,
            "postal_address": user.postal_address,
            "licensing_exams": user.licensing_exams,
            "licensing_exam_status": user.licensing_exam_status,
            "ecfmg_status": user.ecfmg_status,
            "ecfmg_details": user.ecfmg_details,
            "role": user.role,
            "date_joined": user.date_joined.isoformat(timespec="seconds"),
        },
    }
    for config in apps.get_app_configs():
        exporter = getattr(config, "export_user_data", None)
        if exporter is not None:
            data[config.label] = exporter(user)
    return data


def account_signup(*, form, base_url: str, client_address: str | None) -> None:
    """Create an inactive account from a valid ``SignupForm`` and email its confirmation link; or,
    when the address already has an account, email its owner instead. The caller shows the same
    page either way, so sign-up never says whether an address is registered."""
    email = form.cleaned_data["email"]
    if not mail_allowed(email=email, address=client_address):
        make_password(form.cleaned_data["password1"])  # the same work, so the same time
        return
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = form.save(commit=False)
                user.is_active = False
                user.email_confirmed = False
                user.save()
        except IntegrityError:  # the same address signed up a moment ago
            existing = User.objects.filter(email__iexact=email).first()
            if existing is None:
                raise
        else:
            send_signup_confirmation(user, base_url=base_url)
            return
    make_password(form.cleaned_data["password1"])
    send_signup_notice(existing, base_url=base_url)


def account_confirm(*, user: User) -> None:
    user.is_active = True
    user.email_confirmed = True
    user.save(update_fields=["is_active", "email_confirmed"])


@transaction.atomic
def account_unlock(*, user: User) -> None:
    """After a password reset through the emailed link: lift a log-in lockout of this username
    (from every address), and a sign-up still awaiting confirmation is confirmed, since the link
    went to its address."""
    from axes.utils import reset

    reset(username=user.username)
    if user.awaits_confirmation:
        account_confirm(user=user)


def _session_model():
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return store.get_model_class() if hasattr(store, "get_model_class") else None


def _delete_sessions(user: User) -> None:
    # Session rows hold the user's id only inside their encoded data, so look inside each.
    model = _session_model()
    if model is None:
        return
    user_id = str(user.pk)
    doomed = [
        session.session_key
        for session in model.objects.iterator(chunk_size=1_000)
        if str(session.get_decoded().get("_auth_user_id")) == user_id
    ]
    for start in range(0, len(doomed), 500):
        model.objects.filter(session_key__in=doomed[start : start + 500]).delete()


@transaction.atomic
def account_delete(*, user: User) -> None:
    # Failed-login records name the user but have no foreign key, so remove them explicitly.
    from axes.models import AccessAttempt, AccessLog

    AccessAttempt.objects.filter(username=user.username).delete()
    AccessLog.objects.filter(username=user.username).delete()
    _delete_sessions(user)
    user.delete()


def account_archive(*, user: User) -> bytes:
    """``user``'s account as a zip archive another server imports (see ``accounts.archive``)."""
    from medmatch.accounts.archive import build_archive

    return build_archive(user)


def account_import(*, user: User, content: bytes) -> None:
    """Restore an archive into ``user``'s account, which must hold nothing yet; all or nothing.
    Raises ``ArchiveError`` naming the part and the reason; then nothing is written (and files
    stored on the way are removed again)."""
    from medmatch.accounts.archive import (
        ACCOUNT,
        ArchiveError,
        ImportContext,
        import_sections,
        owned_parts,
        read_archive,
        resolve_catalog,
    )

    _manifest, account, files = read_archive(content)
    catalog = resolve_catalog(account)
    context = ImportContext(files=files, catalog=catalog)
    try:
        with transaction.atomic():
            # Checked inside the transaction, with the account's row locked, so that two imports
            # into one account cannot both find it empty.
            User.objects.select_for_update().filter(pk=user.pk).first()
            filled = owned_parts(user)
            if filled:
                raise ArchiveError(
                    "account",
                    f"{user.username} already holds data ({', '.join(filled)}); an archive is "
                    "imported into an empty account only (delete those first, or use a new one)",
                )
            try:
                import_sections(user, account, context)
            except IntegrityError as error:  # rows of the archive that contradict each other
                raise ArchiveError(ACCOUNT, f"it contradicts itself ({error})") from error
    except BaseException:
        for storage, name in context.saved_files:
            storage.delete(name)
        raise

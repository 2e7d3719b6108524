"""The account's personal access tokens: make one (its secret shown once), list them, revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from medmatch.api.forms import AccessTokenForm
from medmatch.api.models import AccessToken
from medmatch.api.services import access_token_create, access_token_revoke
from medmatch.lib.access import get_owned_or_404


@login_required
@never_cache  # the page that shows a new token's secret must not be kept anywhere
@require_http_methods(["GET", "POST"])
def manage_tokens(request):
    form = AccessTokenForm(request.POST or None)
    secret = None
    if form.is_valid():
        _token, secret = access_token_create(user=request.user, **form.cleaned_data)
        form = AccessTokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": AccessToken.objects.for_student(request.user),
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def revoke_token(request, pk: int):
    token = get_owned_or_404(AccessToken, request.user, pk=pk)
    if access_token_revoke(token=token):
        messages.success(request, f"Revoked “{token.name}”: it no longer opens the API.")
    return redirect("tokens:list")

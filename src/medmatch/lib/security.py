"""Security headers Django and django-csp do not send themselves.

``PermissionsPolicyMiddleware`` sends ``Permissions-Policy`` built from
``settings.PERMISSIONS_POLICY``, a dict of feature name to allowed origins written as the header
wants them (``self``, ``"https://example.org"``); an empty list refuses the feature everywhere.
"""

from django.conf import settings


def permissions_policy(policy: dict[str, list[str]]) -> str:
    return ", ".join(
        f"{feature}=({' '.join(origins)})" for feature, origins in sorted(policy.items())
    )


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response

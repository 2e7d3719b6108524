"""Settings for the test suite (pyproject's ``DJANGO_SETTINGS_MODULE``): the real settings, then
what tests need instead.

The real settings refuse to load in production mode (DEBUG off) without ``SECRET_KEY`` and
``ALLOWED_HOSTS``. The suite gives them for the import only and takes them back afterwards: the
subprocesses some tests start check exactly that refusal, and must not inherit them.
"""

import os

from django.conf import global_settings

from medmatch.lib.env import env_list

_IMPORT_ENVIRON = {
    "SECRET_KEY": "insecure-local-development-key-do-not-use-in-production",
    "ALLOWED_HOSTS": "testserver",
}
_saved = {name: os.environ.get(name) for name in _IMPORT_ENVIRON}
for _name, _value in _IMPORT_ENVIRON.items():
    if not (os.environ.get(_name) or "").strip():
        os.environ[_name] = _value
try:
    from medmatch.settings import *  # noqa: F403
    from medmatch.settings import _LOCAL_HOSTS
finally:
    for _name, _value in _saved.items():
        if _value is None:
            os.environ.pop(_name, None)
        else:
            os.environ[_name] = _value

# The environment's host names, if any; pytest-django adds "testserver" and the live server's.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", _LOCAL_HOSTS if DEBUG else [])  # noqa: F405

# Hashing a password the production way takes a noticeable time; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Pages name static files by their plain names: no collectstatic manifest is needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Plain http: the test client and the live server speak no TLS, so none of the production
# hardening (https redirect, HSTS, secure cookies, the proxy's https header) applies.
for _name in (
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SILENCED_SYSTEM_CHECKS",
):
    globals()[_name] = getattr(global_settings, _name)

# Background work runs at once, in-process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Rate limits and lockouts count in memory (the tests that count clear it first).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

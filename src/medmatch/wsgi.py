import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medmatch.settings")
application = get_wsgi_application()

# After django.setup() (done above), before the first request: see medmatch/warmup.py. Each
# gunicorn worker imports this module after the fork, so every worker starts warm.
if os.environ.get("MEDMATCH_WARM_UP", "true").strip().lower() not in {"0", "false", "no", "off"}:
    from medmatch.warmup import warm_up

    warm_up()

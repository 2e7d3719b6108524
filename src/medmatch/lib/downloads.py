"""Responses that carry a person's private data (exports, PDFs, calendars) must not be kept by a
shared cache or the browser's disk cache, where the next user of a proxy or a shared computer
could read them."""

from django.views.decorators.cache import cache_control

#: ``Cache-Control: private, no-store`` on the view's response.
private_download = cache_control(private=True, no_store=True)

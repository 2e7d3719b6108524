import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_renders_every_page(client, alice, alice_application, today):
    client.force_login(alice)
    requirement = alice_application.requirements.first()
    for url in [
        reverse("applications:board"),
        reverse("applications:table"),
        reverse("applications:table") + "?sort=status&direction=desc",
        reverse("applications:dashboard"),
        reverse("applications:detail", args=[alice_application.pk]),
        reverse("applications:edit", args=[alice_application.pk]),
        reverse("applications:delete", args=[alice_application.pk]),
        reverse("applications:requirement_add", args=[alice_application.pk]),
        reverse("applications:requirement_edit", args=[requirement.pk]),
        reverse("applications:calendar_settings"),
        reverse("applications:calendar"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url

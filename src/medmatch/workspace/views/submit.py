"""submit pages of the program side (see views/__init__.py)."""

urlpatterns: list = []

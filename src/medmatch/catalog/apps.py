from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "medmatch.catalog"
    verbose_name = "Catalog"
    nav_items = [
        ("catalog:programs", "Programs"),
        ("catalog:institutions", "Hospitals"),
        ("catalog:compare", "Compare"),
    ]

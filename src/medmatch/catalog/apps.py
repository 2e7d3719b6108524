from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "medmatch.catalog"
    verbose_name = "Catalog"
    nav_public = True
    nav_items = [
        ("catalog:programs", "Programs"),
        ("catalog:institutions", "Hospitals"),
    ]

    def ready(self):
        from django.db.models.signals import post_migrate

        from medmatch.catalog.search import ensure_index

        post_migrate.connect(ensure_index, sender=self)

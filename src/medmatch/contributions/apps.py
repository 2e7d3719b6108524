from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "medmatch.contributions"
    verbose_name = "Contributions: proposed facts, coordinators, fact history"

    def ready(self):
        # The catalog's program page says who stands behind a field without importing this app.
        from medmatch.catalog.extensions import register_reported_values
        from medmatch.contributions.selectors import program_reported_values

        register_reported_values(program_reported_values)

    def export_user_data(self, user) -> dict:
        from medmatch.contributions.models import Coordinatorship, FactProposal

        proposals = FactProposal.objects.filter(proposer=user).order_by("created_at", "pk")
        requests = Coordinatorship.objects.filter(user=user).select_related("institution")
        return {
            "fact_proposals": [proposal.to_export() for proposal in proposals],
            "coordinator_requests": [
                {
                    "institution": request.institution.name,
                    "status": request.status,
                    "requested_at": request.created_at.isoformat(timespec="seconds"),
                }
                for request in requests
            ],
        }

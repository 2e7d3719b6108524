from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "medmatch.workspace"
    verbose_name = "Program side: intake, review, interview slots"
    # Only coordinators can be a program's staff; the workspace home says when one is not
    # verified yet (checking verification here would cost a query on every page).
    nav_items = [("workspace:home", "Workspace", ("coordinator",))]

    def ready(self):
        # The board, the application page and "My programs" (lower apps) link to the program
        # side through their extension points.
        from medmatch.workspace import submit_extensions
        from medmatch.workspace.views.review import submission_page_panel
        from medmatch.workspace.views.submit_staff import register_submission_panel

        submit_extensions.register()
        # The review panel (scores, notes, decision) beside a submission's content.
        register_submission_panel(submission_page_panel)
        # Reviews go with their reviewer's account: the submission's stored mean follows.
        from django.db.models.signals import post_delete

        from medmatch.workspace.models import Review
        from medmatch.workspace.review_services import review_deleted

        post_delete.connect(review_deleted, sender=Review, dispatch_uid="workspace_review_deleted")

    def export_user_data(self, user) -> dict:
        from medmatch.workspace.models import Invitation, Submission

        submissions = (
            Submission.objects.for_student(user)
            .select_related("program__institution")
            .prefetch_related("versions__letters", "versions__documents")
            .order_by("submitted_at", "pk")
        )
        return {
            "submissions": [
                {
                    "program": submission.program.title,
                    "institution": submission.program.institution.name,
                    "submitted_at": submission.submitted_at.isoformat(timespec="seconds"),
                    "withdrawn_at": (
                        submission.withdrawn_at.isoformat(timespec="seconds")
                        if submission.withdrawn_at
                        else None
                    ),
                    "invited_at": (
                        submission.invited_at.isoformat(timespec="seconds")
                        if submission.invited_at
                        else None
                    ),
                    "versions": [
                        {
                            "number": version.number,
                            "created_at": version.created_at.isoformat(timespec="seconds"),
                            "profile": version.profile,
                            "statement_title": version.statement_title,
                            "statement_text": version.statement_text,
                            "answers": version.answers,
                            "cv_sha256": version.cv_sha256,
                            "note": version.note,
                            # Whom the letters are from, never a letter's content.
                            "letters": [
                                {"recommender": letter.recommender_name, "waived": letter.waived}
                                for letter in version.letters.all()
                            ],
                            "documents": [
                                {"kind": document.kind, "sha256": document.sha256}
                                for document in version.documents.all()
                            ],
                        }
                        for version in submission.versions.all()
                    ],
                }
                for submission in submissions
            ],
            # The interview rounds the student was invited to: the round, the program, the slot
            # given (if any) and whether it was cancelled. Never the priority the program gave.
            "invitations": [
                {
                    "round": invitation.round.title,
                    "program": invitation.round.program.title,
                    "invited_at": invitation.invited_at.isoformat(timespec="seconds"),
                    "slot_starts_at": (
                        invitation.assigned_slot.starts_at.isoformat(timespec="seconds")
                        if invitation.assigned_slot
                        else None
                    ),
                    "cancelled_at": (
                        invitation.cancelled_at.isoformat(timespec="seconds")
                        if invitation.cancelled_at
                        else None
                    ),
                }
                for invitation in Invitation.objects.for_student(user)
                .select_related("round__program", "assigned_slot")
                .order_by("invited_at", "pk")
            ],
        }

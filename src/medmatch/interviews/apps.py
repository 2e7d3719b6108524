from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "medmatch.interviews"
    verbose_name = "Interviews: practice and schedule"
    nav_items = [("interviews:index", "Interviews")]

    def ready(self):
        # Interviews appear in the applications' calendar (download and private feed) and in their
        # "what is next" list through the extension points those modules expose.
        from medmatch.applications import calendar, next_steps
        from medmatch.goals.demo import register_demo_seeder
        from medmatch.interviews.demo import seed_demo_journey
        from medmatch.interviews.hooks import interview_events, interview_steps

        calendar.register_event_provider(interview_events)
        next_steps.register_step_provider(interview_steps)
        # The demo student shows every stage: a shortlist, applications, a statement, a letter
        # request and an interview (all fictional) beside its goals.
        register_demo_seeder(seed_demo_journey)

    def export_user_data(self, user) -> dict:
        from medmatch.interviews.models import Interview, PracticeAttempt, Question

        questions = Question.objects.filter(student=user).order_by("created_at", "pk")
        attempts = (
            PracticeAttempt.objects.for_student(user)
            .select_related("question")
            .order_by("practised_at", "pk")
        )
        interviews = Interview.objects.for_student(user).with_program().order_by("starts_at", "pk")
        return {
            "questions": [question.to_export() for question in questions],
            "practice_attempts": [attempt.to_export() for attempt in attempts],
            "interviews": [interview.to_export() for interview in interviews],
        }

    # The account archive (``accounts.archive``): what another server imports.
    def archive_export(self, user, context) -> dict:
        from medmatch.interviews.archive import export

        return export(user, context)

    def archive_import(self, user, data, context) -> None:
        from medmatch.interviews.archive import import_

        import_(user, data, context)

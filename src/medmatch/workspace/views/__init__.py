"""The program side's pages, one module per area, each with its own ``urlpatterns``:

- ``submit``: the program's listing upkeep (intake settings, questions, documents) and the
  student's side (submit, versions, withdraw) — student pages under ``/submissions/``;
- ``review``: the program's dashboard, inbox, rubric, reviews and decisions;
- ``slots``: interview slot rounds, invitations, the students' slot ranking, ICS.

Program staff pages live under ``/workspace/``.
"""

"""Who may read a letter's content through the letters app. Every path of this app that could
show or send it — the download view, the request page, the account export, the API — asks
``can_read_letter`` and nothing else.

- The student it is about: only when they did not waive the right to see it — as recorded on
  the letter when it arrived (``Letter.waived``), and on the request. With a waiver they see its
  status and when it arrived, never its content, file name, size or hash.
- Nobody else here (other students, coordinators, anonymous visitors, the recommender after
  uploading).

A program reads a letter on the program side, not here: the workspace serves it to the staff of
a program the letter was sent to with a submission (``workspace/views/submit_staff.py``,
``download_letter``), and to nobody else. The letters app does not know the program side
(it sits below it), so no coordinator rule lives in this module.
"""


def can_read_letter(user, letter) -> bool:
    if user is None or not user.is_authenticated or letter is None:
        return False
    request = letter.request
    if user.pk == request.student_id:
        # The letter's own record decides; the request's waiver is fixed before any letter can
        # arrive, and asking both means no later change to either can open it.
        return not (letter.waived or request.waived)
    return False

"""The verified-coordinator rule, in one place (issue 15's program side builds on it).

A user speaks for a program when staff verified them as a coordinator of the program's own
institution (the NRMP sponsor, CaRMS faculty or hospital the program row points at). A
coordinator of a CMS hospital does *not* get the programs of sponsors linked to that hospital:
that link is a name match made by the importer (right about 98 times in 100, not always), and
the sponsor, not the hospital, is accountable for its programs — staff can verify the person for
the sponsor itself.
"""

from django.db.models import QuerySet
from django.http import Http404

from medmatch.catalog.models import Institution, Program
from medmatch.contributions.models import Coordinatorship


def _verified(user) -> QuerySet:
    if user is None or not user.is_authenticated or not user.is_active:
        return Coordinatorship.objects.none()
    return Coordinatorship.objects.verified().filter(user=user)


def coordinator_institutions(user) -> QuerySet:
    """The institutions ``user`` is a verified coordinator of (none for anyone else)."""
    return Institution.objects.filter(pk__in=_verified(user).values("institution_id"))


def director_programs(user) -> QuerySet:
    """The programs ``user`` is a verified program director of: a coordinator's rights plus
    certifying the program's rank list."""
    directorships = _verified(user).filter(role=Coordinatorship.Role.DIRECTOR)
    return Program.objects.filter(institution_id__in=directorships.values("institution_id"))


def coordinator_programs(user) -> QuerySet:
    """Every program ``user`` may edit as its coordinator; empty for anyone not verified."""
    return Program.objects.filter(institution_id__in=_verified(user).values("institution_id"))


def can_edit_program(user, program: Program) -> bool:
    return _verified(user).filter(institution_id=program.institution_id).exists()


def get_editable_program_or_404(
    user, pk: int, *, only: tuple[str, ...] = (), related: tuple[str, ...] = ()
) -> Program:
    """The program ``pk`` when ``user`` is its verified coordinator; 404 for everyone else (a
    stranger must not learn whom the program has verified). One joined query (the program side's
    busiest pages call it on every request); ``only`` names the columns a page reads of the wide
    program row, ``related`` more one-to-one rows to join in (beside institution and specialty)."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise Http404("No such program.")
    programs = Program.objects.select_related("institution", "specialty", *related).filter(
        pk=pk,
        institution__coordinatorships__user=user,
        institution__coordinatorships__status=Coordinatorship.Status.VERIFIED,
    )
    program = (programs.only(*only) if only else programs).first()
    if program is None:
        raise Http404("No such program.")
    return program


def verified_coordinator_sql(institution_column: str) -> tuple[str, list]:
    """The rule as a SQL condition, for the few hand-written queries of the busiest pages: true
    when the user whose id is the one parameter left to fill (``%s``) is a verified coordinator
    of the institution in ``institution_column``. Returns the condition and its other parameters
    (they come first). The caller checks that the user is active, as ``_verified`` does."""
    table = Coordinatorship._meta.db_table
    return (
        f"EXISTS (SELECT 1 FROM {table} c WHERE c.institution_id = {institution_column}"
        " AND c.status = %s AND c.user_id = %s)",
        [Coordinatorship.Status.VERIFIED.value],
    )


def get_coordinated_institution_or_404(user, pk: int) -> Institution:
    """The institution ``pk`` when ``user`` is its verified coordinator (who may add listings
    to it); 404 for everyone else, as for a program."""
    institution = coordinator_institutions(user).filter(pk=pk).first()
    if institution is None:
        raise Http404("No such institution.")
    return institution

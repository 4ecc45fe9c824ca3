import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

# DOMAIN R6.7's code shape M1.M2.M3.M4.M5 (unsure: a third-party reading of 208-QĐ/TW). A code
# off this shape is a warning (orgs.services.code_shape_warning), not a refusal.
ORG_CODE_RE = re.compile(r"^\d{2}(\.\d{3}){0,4}$")


class OrganizationKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("Provincial party committee")
    BLOC_COMMITTEE = "bloc_committee", _("Bloc party committee")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune party committee")
    WARD_COMMITTEE = "ward_committee", _("Ward party committee")
    SPECIAL_ZONE_COMMITTEE = "special_zone_committee", _("Special-zone party committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")
    SUBORDINATE_COMMITTEE = "subordinate_committee", _("Subordinate party committee")
    CELL = "cell", _("Subordinate party cell")
    PARTY_GROUP = "party_group", _("Party group")


# Kinds whose members meet as a cell and are registered there (GLOSSARY: Cell).
CELL_KINDS = frozenset({OrganizationKind.GRASSROOTS_CELL, OrganizationKind.CELL})

# Which kinds may sit under which (DOMAIN R6.1-R6.3, R6.6). Communes and wards appear both as
# the level above grassroots (294-QĐ/TW pilot) and as grassroots committees (208-QĐ/TW), so
# both shapes are allowed.
ALLOWED_CHILDREN: dict[str | None, frozenset[str]] = {
    None: frozenset({OrganizationKind.PROVINCE_COMMITTEE}),
    OrganizationKind.PROVINCE_COMMITTEE: frozenset(
        {
            OrganizationKind.BLOC_COMMITTEE,
            OrganizationKind.COMMUNE_COMMITTEE,
            OrganizationKind.WARD_COMMITTEE,
            OrganizationKind.SPECIAL_ZONE_COMMITTEE,
            OrganizationKind.GRASSROOTS_COMMITTEE,
            OrganizationKind.GRASSROOTS_CELL,
        }
    ),
    OrganizationKind.BLOC_COMMITTEE: frozenset(
        {OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.GRASSROOTS_CELL}
    ),
    OrganizationKind.COMMUNE_COMMITTEE: frozenset(
        {
            OrganizationKind.GRASSROOTS_COMMITTEE,
            OrganizationKind.GRASSROOTS_CELL,
            OrganizationKind.SUBORDINATE_COMMITTEE,
            OrganizationKind.CELL,
        }
    ),
    OrganizationKind.GRASSROOTS_COMMITTEE: frozenset(
        {OrganizationKind.SUBORDINATE_COMMITTEE, OrganizationKind.CELL}
    ),
    OrganizationKind.SUBORDINATE_COMMITTEE: frozenset({OrganizationKind.CELL}),
    OrganizationKind.GRASSROOTS_CELL: frozenset({OrganizationKind.PARTY_GROUP}),
    OrganizationKind.CELL: frozenset({OrganizationKind.PARTY_GROUP}),
    OrganizationKind.PARTY_GROUP: frozenset(),
}
ALLOWED_CHILDREN[OrganizationKind.WARD_COMMITTEE] = ALLOWED_CHILDREN[
    OrganizationKind.COMMUNE_COMMITTEE
]
ALLOWED_CHILDREN[OrganizationKind.SPECIAL_ZONE_COMMITTEE] = ALLOWED_CHILDREN[
    OrganizationKind.COMMUNE_COMMITTEE
]


class CellType(models.TextChoices):
    VILLAGE = "village", _("Village")
    RESIDENTIAL_GROUP = "residential_group", _("Residential group")
    APARTMENT_BUILDING = "apartment_building", _("Apartment building")
    AGENCY = "agency", _("Administrative agency")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Private enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    SCHOOL = "school", _("School")
    STUDENTS = "students", _("Students")
    POLICE = "police", _("Police")
    MILITARY = "military", _("Military")
    HEALTH_STATION = "health_station", _("Health station")
    CREDIT_FUND = "credit_fund", _("People's credit fund")
    OTHER = "other", _("Other")


# Cells where members live (the others are workplace cells: agencies, schools, enterprises, …).
RESIDENTIAL_CELL_TYPES = frozenset(
    {CellType.VILLAGE, CellType.RESIDENTIAL_GROUP, CellType.APARTMENT_BUILDING}
)


class Organization(MP_Node):
    """A node of the party organization tree (GLOSSARY: tổ chức đảng). Subtree queries are one
    indexed prefix query on `path` (django-treebeard materialized path)."""

    name = models.CharField(_("name"), max_length=200)
    name_search = models.CharField(max_length=200, db_index=True, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    cell_type = models.CharField(
        _("cell type"), max_length=32, choices=CellType.choices, blank=True
    )
    code = models.CharField(_("organization code"), max_length=20, unique=True)
    address = models.CharField(_("meeting place"), max_length=300, blank=True)
    active_from = models.DateField(_("active from"), default=timezone.localdate)
    active_to = models.DateField(_("active until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("party organization")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_to__isnull=True)
                | models.Q(active_to__gte=models.F("active_from")),
                name="organization_active_period_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    @property
    def is_residential_cell(self) -> bool:
        """A cell where members live (village, residential group, apartment building): the
        residence cell of members working elsewhere (Quy định 213)."""
        return self.is_cell and self.cell_type in RESIDENTIAL_CELL_TYPES

    @property
    def is_active(self) -> bool:
        return self.active_to is None or self.active_to >= timezone.localdate()


class OrganizationEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Details changed")
    MOVED = "moved", _("Moved to another superior")
    DISSOLVED = "dissolved", _("Dissolved or merged")


class OrganizationEvent(models.Model):
    """The history of a unit: creation, changes, moves under a new superior (mergers), dissolution.
    A move keeps the old superior's name and the old code so the past stays readable."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=OrganizationEventKind.choices)
    effective_date = models.DateField(_("effective date"))
    old_parent_name = models.CharField(max_length=200, blank=True)
    new_parent_name = models.CharField(max_length=200, blank=True)
    old_code = models.CharField(max_length=20, blank=True)
    new_code = models.CharField(max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.kind} {self.effective_date}"


class Role(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    UPPER_COMMITTEE_MEMBER = "upper_committee_member", _("Upper-level committee member")
    ORGANIZATION_STAFF = "organization_staff", _("Organization commission staff")
    # Not a committee member: a ward civil servant or the area police officer the committee
    # assigns to attend a cell's meetings (field report 004). Gives no read of the cell's
    # register (orgs.scope); supervision shows them the meetings they attend.
    STANDING_ATTENDEE = "standing_attendee", _("Standing attendee")


# Roles that may change the member register of their organization's subtree.
MANAGING_ROLES = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.ORGANIZATION_STAFF})

# Committees: units above the cells. Their secretaries, deputies and organisation staff (the
# MANAGING_ROLES) found, change and move the units of their own subtree (DOMAIN R6.3: the
# commune/ward committee is the level directly above the grassroots).
COMMITTEE_KINDS = frozenset(
    {
        OrganizationKind.PROVINCE_COMMITTEE,
        OrganizationKind.BLOC_COMMITTEE,
        OrganizationKind.COMMUNE_COMMITTEE,
        OrganizationKind.WARD_COMMITTEE,
        OrganizationKind.SPECIAL_ZONE_COMMITTEE,
        OrganizationKind.GRASSROOTS_COMMITTEE,
        OrganizationKind.SUBORDINATE_COMMITTEE,
    }
)

# Committees that issue their own rules for their subtree (DOMAIN §0 "provincial committees add
# their own scoring frames", R1.13-R1.14 frames set by provincial committees and blocs, R6.3 the
# commune/ward committee as the level above grassroots, R7.2 a province's own rule).
RULE_ISSUING_KINDS = frozenset(
    {
        OrganizationKind.PROVINCE_COMMITTEE,
        OrganizationKind.BLOC_COMMITTEE,
        OrganizationKind.COMMUNE_COMMITTEE,
        OrganizationKind.WARD_COMMITTEE,
        OrganizationKind.SPECIAL_ZONE_COMMITTEE,
    }
)


class PositionQuerySet(models.QuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
        )


class Position(models.Model):
    """A member holding a role in an organization over a period. Scope comes only from here."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="positions"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["organization__path", "role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="position_period_valid",
            )
        ]
        indexes = [models.Index(fields=["member", "end_date"], name="position_member_idx")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.organization}"

    def is_current(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

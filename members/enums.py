from django.db import models


class Role(models.TextChoices):
    """The roles of DESIGN.md that hold an admin login. Each is a Django group."""

    HOST_STAFF = "host_staff", "Host staff"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Designated safeguarding lead"
    CASE_HANDLER = "case_handler", "Case handler"
    MNVP_LEAD = "mnvp_lead", "MNVP lead"
    ICB_COMMISSIONER = "icb_commissioner", "ICB commissioner"


class PartnershipRole(models.TextChoices):
    """Roles held for one named MNVP; each grants object permissions on it."""

    MNVP_LEAD = Role.MNVP_LEAD.value, Role.MNVP_LEAD.label
    ICB_COMMISSIONER = Role.ICB_COMMISSIONER.value, Role.ICB_COMMISSIONER.label


class PartnershipStatus(models.TextChoices):
    FORMING = "forming", "Forming"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


class UnitType(models.TextChoices):
    OBSTETRIC_UNIT = "obstetric", "Obstetric unit"
    ALONGSIDE_MLU = "alongside_mlu", "Alongside midwife-led unit"
    FREESTANDING_MLU = "freestanding_mlu", "Freestanding midwife-led unit"
    NICU = "nicu", "Neonatal intensive care unit"
    LNU = "lnu", "Local neonatal unit"
    SCU = "scu", "Special care unit"
    COMMUNITY = "community", "Community and home birth team"
    OTHER = "other", "Other"

from django.db import models


class ConcernKind(models.TextChoices):
    CONCERN = "concern", "Safeguarding concern"
    ALLEGATION = "allegation", "Allegation against a volunteer or lead"


class ConcernAbout(models.TextChoices):
    CHILD = "child", "A child or baby"
    ADULT_AT_RISK = "adult_at_risk", "An adult at risk"
    STAFF = "staff", "A member of staff"
    SERVICE_PRACTICE = "service_practice", "Service practice or patient safety"
    OTHER = "other", "Someone or something else"


class ConcernStatus(models.TextChoices):
    """Received and acknowledged are the reporter's to see; the rest is the DSLs' work."""

    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    TRIAGED = "triaged", "Triaged"
    ESCALATED = "escalated", "Escalated"
    CLOSED = "closed", "Closed"


class ConcernCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    PHYSICAL = "physical", "Physical abuse"
    SEXUAL = "sexual", "Sexual abuse or exploitation"
    EMOTIONAL = "emotional", "Emotional or psychological abuse"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    SELF_HARM = "self_harm", "Self-harm or suicide risk"
    FINANCIAL = "financial", "Financial abuse"
    MODERN_SLAVERY = "modern_slavery", "Modern slavery or trafficking"
    PATIENT_SAFETY = "patient_safety", "Patient safety"
    STAFF_CONDUCT = "staff_conduct", "Staff conduct"
    OTHER = "other", "Other"


class EscalatedTo(models.TextChoices):
    HOST_DSL = "host_dsl", "Host designated safeguarding lead"
    TRUST = "trust", "Trust safeguarding team"
    LOCAL_AUTHORITY = "local_authority", "Local authority (MASH / adult social care)"
    LADO = "lado", "Local authority designated officer (LADO)"
    POLICE = "police", "Police"
    ICB = "icb", "Integrated Care Board"
    OTHER = "other", "Other"


class ConcernAlertKind(models.TextChoices):
    IMMEDIATE_RISK_UNACKNOWLEDGED = "immediate_unacknowledged", "Immediate risk, not acknowledged"
    UNACKNOWLEDGED = "unacknowledged", "Not acknowledged in time"


class CaseKind(models.TextChoices):
    GRIEVANCE = "grievance", "Grievance raised by a lead or member"
    COMPLAINT_AGAINST = "complaint_against", "Complaint against a lead or member"
    COMPLAINT_PUBLIC = "complaint_public", "Complaint from the public about the MNVP"


class CaseStage(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    INVESTIGATING = "investigating", "Investigating"
    OUTCOME = "outcome", "Outcome given"
    APPEAL = "appeal", "Under appeal"
    CLOSED = "closed", "Closed"


class CaseOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CaseAlertKind(models.TextChoices):
    DUE_SOON = "due_soon", "Deadline approaching"
    OVERDUE = "overdue", "Deadline passed"


class SupportTopic(models.TextChoices):
    PREGNANCY = "pregnancy", "Pregnancy and birth"
    MENTAL_HEALTH = "mental_health", "Perinatal mental health"
    BEREAVEMENT = "bereavement", "Baby loss and bereavement"
    NEONATAL = "neonatal", "Neonatal care"
    INFANT_FEEDING = "infant_feeding", "Infant feeding"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    MONEY = "money", "Money, housing and benefits"
    LANGUAGE = "language", "Language and interpreting"
    DISABILITY = "disability", "Disability"
    FATHERS = "fathers", "Dads and partners"
    OTHER = "other", "Other"


class SupportArea(models.TextChoices):
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Across the ICB area"
    LOCAL = "local", "Local"


class RiskAssessmentState(models.TextChoices):
    """Where a risk assessment stands on a given day (see ``safeguarding.services.risk``)."""

    CURRENT = "current", "Current"
    DUE_FOR_REVIEW = "due_for_review", "Due for review"
    NOT_APPROVED = "not_approved", "Not approved"

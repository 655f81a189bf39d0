from django.db import models


class Theme(models.TextChoices):
    LISTENING = "listening", "Listening and engagement"
    EQUITY = "equity", "Seldom-heard and equity"
    NEONATAL = "neonatal", "Neonatal families"
    BEREAVED = "bereaved", "Bereaved families"
    INFLUENCE = "influence", "Strategic influence"
    COPRODUCTION = "coproduction", "Co-production projects"
    INFRASTRUCTURE = "infrastructure", "Infrastructure and training"


class SignOffStage(models.TextChoices):
    """In order: each stage follows the one before, recorded with who and when."""

    DRAFT = "draft", "Draft"
    COPRODUCED = "coproduced", "Co-produced"
    AGREED = "agreed", "Agreed by the MNVP"
    SIGNED_OFF = "signed_off", "Signed off by the ICB"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    DONE = "done", "Done"


class MilestoneReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class BudgetCategory(models.TextChoices):
    """The host's budget template (London co-production resource, appendix 2)."""

    LEAD_REMUNERATION = "lead_remuneration", "Lead remuneration"
    LMNS_INVOLVEMENT = "lmns_involvement", "LMNS meeting involvement"
    MEMBER_EXPENSES = "member_expenses", "Member expenses"
    ADMIN_SUPPORT = "admin_support", "Administrative support"
    CRECHE = "creche", "Creche"
    VENUE_HIRE = "venue_hire", "Venue hire"
    DEVELOPMENT_DAY = "development_day", "Development day"
    OUTREACH = "outreach", "Outreach resources"
    PROMOTION = "promotion", "Promotional materials"
    TRAINING = "training", "Training"
    TRANSLATION = "translation", "Translation and interpreting"
    VOUCHERS = "vouchers", "Participation vouchers"
    OTHER = "other", "Other"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    PAID = "paid", "Paid"


class ExpenseKind(models.TextChoices):
    MILEAGE = "mileage", "Mileage"
    FARES = "fares", "Fares"
    CHILDCARE = "childcare", "Childcare"
    SUBSISTENCE = "subsistence", "Subsistence"
    ACCOMMODATION = "accommodation", "Accommodation"
    OTHER = "other", "Other"


class PaymentLength(models.TextChoices):
    HALF_DAY = "half_day", "Half day (4 hours or less)"
    FULL_DAY = "full_day", "Full day (more than 4 hours)"


class PaymentStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"


class ActivityKind(models.TextChoices):
    OUTREACH = "outreach", "Outreach session"
    FIFTEEN_STEPS = "fifteen_steps", "Fifteen Steps visit"
    WALK_THE_PATCH = "walk_the_patch", "Walk the Patch"
    SURVEY = "survey", "Survey"
    FOCUS_GROUP = "focus_group", "Focus group"
    COMMUNITY_EVENT = "community_event", "Community event"
    MEETING = "meeting", "MNVP or LMNS meeting"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    READY = "ready", "Ready to go ahead"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class CommitteeKind(models.TextChoices):
    LMNS_BOARD = "lmns_board", "LMNS board"
    TRUST_GOVERNANCE = "trust_governance", "Trust maternity and neonatal governance"
    SAFETY_CHAMPIONS = "safety_champions", "Safety champions meeting"
    GUIDELINES = "guidelines", "Guidelines committee"
    PERINATAL_MORTALITY = "perinatal_mortality", "Perinatal mortality review"
    SERIOUS_INCIDENT = "serious_incident", "Serious incident response group"
    NEONATAL_PARENTS = "neonatal_parents", "Neonatal parent advisory group"
    OTHER = "other", "Other"


class FeedbackSource(models.TextChoices):
    OUTREACH = "outreach", "Outreach conversation"
    WALK_THE_PATCH = "walk_the_patch", "Walk the Patch"
    FIFTEEN_STEPS = "fifteen_steps", "Fifteen Steps finding"
    SURVEY = "survey", "Survey"
    PUBLIC_FORM = "public_form", "Public feedback form"
    SOCIAL_MEDIA = "social_media", "Social media summary"
    NEONATAL_PARENTS = "neonatal_parents", "Neonatal parent advisory group"
    OTHER = "other", "Other"


class ServiceArea(models.TextChoices):
    ANTENATAL = "antenatal", "Antenatal"
    BIRTH = "birth", "Birth"
    POSTNATAL = "postnatal", "Postnatal"
    NEONATAL = "neonatal", "Neonatal"
    BEREAVEMENT = "bereavement", "Bereavement"
    OTHER = "other", "Other or across services"


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    MIXED = "mixed", "Mixed"
    NEGATIVE = "negative", "Negative"
    NEUTRAL = "neutral", "Neutral"


class RemunerationRoute(models.TextChoices):
    EMPLOYED = "employed", "Employed by the host"
    SELF_EMPLOYED = "self_employed", "Self-employed under contract"
    THIRD_PARTY = "third_party", "Through a third party"


class IR35Determination(models.TextChoices):
    INSIDE = "inside", "Inside IR35"
    OUTSIDE = "outside", "Outside IR35"

from django.db import models


class Role(models.TextChoices):
    """The roles of DESIGN.md that hold an admin login. Each is a Django group."""

    HOST_STAFF = "host_staff", "Host staff"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Designated safeguarding lead"
    CASE_HANDLER = "case_handler", "Case handler"
    MNVP_LEAD = "mnvp_lead", "MNVP lead"
    ICB_COMMISSIONER = "icb_commissioner", "ICB commissioner"
    DBS_VERIFIER = "dbs_verifier", "DBS verifier"
    GRIEVANCE_MANAGER = "grievance_manager", "Grievance and complaints manager"


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


class MembershipRole(models.TextChoices):
    LEAD = "lead", "MNVP lead"
    NEONATAL_LEAD = "neonatal_lead", "Neonatal lead"
    BEREAVEMENT_LEAD = "bereavement_lead", "Bereavement lead"
    MEMBER_REPRESENTATIVE = "member_representative", "Member representative"
    VOLUNTEER = "volunteer", "Volunteer"
    ADMIN_SUPPORT = "admin_support", "Admin support"


class PPVCategory(models.TextChoices):
    """NHS England patient and public voice financial support categories."""

    A = "A", "A: no financial support"
    B = "B", "B: out-of-pocket expenses"
    C = "C", "C: expenses and an involvement payment"


class ApplicationStage(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    CONVERSATION = "conversation", "Conversation held"
    REFERENCES = "references", "References"
    CHECKS = "checks", "Checks (such as DBS)"
    INDUCTION = "induction", "Induction"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ApplicationSource(models.TextChoices):
    PUBLIC_SIGNUP = "public", "Public sign-up"
    ADMIN = "admin", "Entered by staff"
    IMPORT = "import", "Imported"


class LivedExperience(models.TextChoices):
    MATERNITY = "maternity", "Maternity care (pregnancy, birth, after birth)"
    NEONATAL = "neonatal", "Neonatal care"
    BEREAVEMENT = "bereavement", "Baby loss or bereavement"
    PARTNER_FAMILY = "partner_family", "As a partner or family member"


class Involvement(models.TextChoices):
    LISTENING = "listening", "Listening to families at events and outreach"
    SURVEYS = "surveys", "Helping with surveys"
    FIFTEEN_STEPS = "fifteen_steps", "Fifteen Steps and Walk the Patch visits"
    MEETINGS = "meetings", "Meetings with maternity and neonatal staff"
    READING = "reading", "Reading and commenting on leaflets and plans"
    ONLINE = "online", "Online and social media"
    ADMIN = "admin", "Admin support"


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", "Weekday daytimes"
    WEEKDAY_EVENING = "weekday_evening", "Weekday evenings"
    WEEKEND = "weekend", "Weekends"
    ONLINE_ONLY = "online_only", "Online only"


class HeardAbout(models.TextChoices):
    SOCIAL_MEDIA = "social_media", "Social media"
    MIDWIFE = "midwife", "A midwife, health visitor or other staff"
    FRIEND = "friend", "A friend or family member"
    COMMUNITY_GROUP = "community_group", "A community group or charity"
    EVENT = "event", "At an event"
    WEBSITE = "website", "This website"
    OTHER = "other", "Somewhere else"


class PreferredContact(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"


PREFER_NOT = ("prefer_not", "Prefer not to say")


class Ethnicity(models.TextChoices):
    """ONS 2021 census ethnic groups for England."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other Black background"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed or multiple: White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or multiple: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other Mixed background"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"
    PREFER_NOT_TO_SAY = PREFER_NOT


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", "Under 18"
    AGE_18_24 = "18_24", "18 to 24"
    AGE_25_34 = "25_34", "25 to 34"
    AGE_35_44 = "35_44", "35 to 44"
    AGE_45_54 = "45_54", "45 to 54"
    AGE_55_64 = "55_64", "55 to 64"
    AGE_65_PLUS = "65_plus", "65 or over"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Disability(models.TextChoices):
    YES_A_LOT = "yes_a_lot", "Yes, limited a lot"
    YES_A_LITTLE = "yes_a_little", "Yes, limited a little"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Another sexual orientation"
    PREFER_NOT_TO_SAY = PREFER_NOT


class GenderIdentitySameAsSex(models.TextChoices):
    """ONS 2021: is the gender you identify with the same as your sex registered at birth?"""

    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion"
    PREFER_NOT_TO_SAY = PREFER_NOT


class EqualityQuestion(models.TextChoices):
    """The equality monitoring questions, named as the fields of ``EqualityMonitoring``."""

    ETHNICITY = "ethnicity", "Ethnicity"
    AGE_BAND = "age_band", "Age"
    DISABILITY = "disability", "Disability"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    GENDER_IDENTITY_SAME_AS_SEX = (
        "gender_identity_same_as_sex",
        "Gender identity the same as sex registered at birth",
    )
    RELIGION = "religion", "Religion or belief"


# Each question's answers, in the order reports and forms list them.
EQUALITY_QUESTION_CHOICES: dict[str, type[models.TextChoices]] = {
    EqualityQuestion.ETHNICITY: Ethnicity,
    EqualityQuestion.AGE_BAND: AgeBand,
    EqualityQuestion.DISABILITY: Disability,
    EqualityQuestion.SEXUAL_ORIENTATION: SexualOrientation,
    EqualityQuestion.GENDER_IDENTITY_SAME_AS_SEX: GenderIdentitySameAsSex,
    EqualityQuestion.RELIGION: Religion,
}

# For a select of every answer, grouped by question (values repeat across questions).
EQUALITY_CATEGORY_GROUPED_CHOICES = [
    (question.label, list(EQUALITY_QUESTION_CHOICES[question].choices)) for question in EqualityQuestion
]


class ImportKind(models.TextChoices):
    """What a spreadsheet import brings in; each has its resource and its permission."""

    PEOPLE = "people", "People"
    MEMBERSHIPS = "memberships", "Memberships"
    TRAINING = "training", "Training records"
    FEEDBACK = "feedback", "Feedback items"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    CHECKING = "checking", "Checking"
    CHECKED = "checked", "Checked: ready to import"
    INVALID = "invalid", "Checked: has errors"
    IMPORTING = "importing", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Failed: nothing was imported"


class DBSLevel(models.TextChoices):
    """Levels of Disclosure and Barring Service check, lowest first (order matters)."""

    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred list checks"

    @classmethod
    def rank(cls, level: str) -> int:
        return list(cls.values).index(level)


class DBSOutcome(models.TextChoices):
    CLEAR = "clear", "Clear: nothing disclosed"
    NEEDS_DECISION = "needs_decision", "Information disclosed: needs a decision"


class DBSDecision(models.TextChoices):
    SUITABLE = "suitable", "Suitable for the role"
    NOT_SUITABLE = "not_suitable", "Not suitable for the role"


class ComplianceState(models.TextChoices):
    """Worst last: a person's state is the worst of their requirements' states."""

    CLEARED = "cleared", "Cleared"
    DUE_SOON = "due_soon", "Due soon"
    LAPSED = "lapsed", "Lapsed"
    MISSING = "missing", "Missing"

    @classmethod
    def worst(cls, states) -> "ComplianceState":
        order = list(cls)
        return max(states, key=order.index, default=cls.CLEARED)


class ReminderMilestone(models.TextChoices):
    DAYS_30 = "30", "30 days before expiry"
    DAYS_7 = "7", "7 days before expiry"
    LAPSED = "lapsed", "On lapsing"

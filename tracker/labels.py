"""User-facing names of enumerations, through the translation catalogue."""
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "leader": _l("Leader"),
    "secretary": _l("Monitoring officer"),
    "staff": _l("Staff"),
}

UNIT_KIND_LABELS = {
    "province": _l("Province committee"),
    "department": _l("Department"),
    "agency": _l("Agency"),
    "district": _l("District"),
    "division": _l("Division"),
}

LANGUAGE_LABELS = {"vi": "Tiếng Việt", "en": "English"}

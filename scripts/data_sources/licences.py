"""Licences several sources share."""

CC_BY = {
    "name": "CC-BY-4.0",
    "title": "CC BY 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
OECD_TERMS = {
    "name": "other-at",
    "title": "OECD Terms and Conditions",
    "path": "https://www.oecd.org/en/about/terms-conditions.html",
}
PRESS_LICENCE = {
    "name": "other-at",
    "title": "licence not stated (press reports)",
}

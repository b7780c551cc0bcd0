"""How dates, numbers and money read in English, whatever page, PDF or e-mail shows them.

Django reads these through FORMAT_MODULE_PATH before its own English formats; a language
added to LANGUAGES gets Django's formats for it, or its own module beside this one.
"""

DATE_FORMAT = "j M Y"  # 7 Dec 2026
DATETIME_FORMAT = "j M Y, H:i"  # 7 Dec 2026, 14:05
YEAR_MONTH_FORMAT = "M Y"  # Dec 2026
MONTH_DAY_FORMAT = "j M"  # 7 Dec
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

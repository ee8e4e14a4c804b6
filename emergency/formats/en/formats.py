"""English interface, ISO dates first: the data are the same Chinese records."""

from emergency.formats.zh_Hans.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
YEAR_MONTH_FORMAT = "Y-m"
MONTH_DAY_FORMAT = "M j"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
MONTH_DAY_TIME_FORMAT = "M j H:i"
MONTH_DAY_WEEKDAY_TIME_FORMAT = "D M j H:i"
DATE_WEEKDAY_FORMAT = "l Y-m-d"
WEEKDAY_MONTH_DAY_FORMAT = "D M j"

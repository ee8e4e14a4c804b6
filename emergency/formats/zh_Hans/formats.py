"""Dates as Chinese civil servants write them.

Django's own zh_Hans input formats use ``%n``/``%j``, which strptime reads as a newline and a
day of the year, so "2026年11月23日" never parses there. ``%m``/``%d`` accept one or two digits.
"""

DATE_FORMAT = "Y年n月j日"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y年n月j日 H:i"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "n月j日"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1
# Our own names, read by core's ``moment`` filter (Django's ``date`` filter knows only its own):
MONTH_DAY_TIME_FORMAT = "n月j日 H:i"
MONTH_DAY_WEEKDAY_TIME_FORMAT = "n月j日 D H:i"
DATE_WEEKDAY_FORMAT = "Y年n月j日 l"
WEEKDAY_MONTH_DAY_FORMAT = "D n月j日"

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-23 (also what <input type=date> sends)
    "%Y/%m/%d",  # 2026/11/23
    "%Y.%m.%d",  # 2026.11.23
    "%Y年%m月%d日",  # 2026年11月23日
    "%Y%m%d",  # 20261123
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H时%M分", "%H点%M分", "%H点%M"]
DATETIME_INPUT_FORMATS = [f"{date} {time}" for date in DATE_INPUT_FORMATS[:4] for time in ("%H:%M", "%H:%M:%S")] + [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y年%m月%d日 %H时%M分",
    "%Y年%m月%d日%H时%M分",
]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

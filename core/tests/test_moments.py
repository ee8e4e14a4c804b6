"""Dates in the active language: ``moment`` reads our own named patterns, the pages use them."""

import datetime
import re

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from dispatch.services import duty

AT = timezone.make_aware(datetime.datetime(2031, 3, 10, 8, 30))  # a Monday


def render(text: str, lang: str) -> str:
    with translation.override(lang):
        return Template("{% load moments %}" + text).render(Context({"at": AT}))


def test_moment_writes_each_language_its_own_pattern():
    assert render('{{ at|moment:"MONTH_DAY_TIME_FORMAT" }}', "zh-hans") == "3月10日 08:30"
    assert render('{{ at|moment:"MONTH_DAY_TIME_FORMAT" }}', "en") == "Mar 10 08:30"
    assert render('{{ at|moment:"DATE_WEEKDAY_FORMAT" }}', "zh-hans") == "2031年3月10日 星期一"
    assert render('{{ at|moment:"DATE_WEEKDAY_FORMAT" }}', "en") == "Monday 2031-03-10"
    assert render('{{ at|moment:"H:i" }}', "en") == "08:30"  # not a name: a pattern, as date takes it


def test_the_duty_roster_in_english_has_no_chinese_dates_or_colons(client_for, world):
    duty.duty_shift_add(
        by=world.county_dispatcher,
        unit=world.county,
        starts_at=timezone.now().replace(hour=8, minute=30),
        ends_at=timezone.now().replace(hour=8, minute=30) + datetime.timedelta(days=1),
        leader=world.county_dispatcher,
        post_a=world.county_dispatcher,
    )
    client = client_for(world.county_dispatcher)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for url in (reverse("dispatch:duty_calendar"), reverse("dispatch:duty_handover", args=[world.county.pk])):
        body = re.sub(r'placeholder="[^"]*"', "", client.get(url).content.decode())  # "e.g. 2026年1月5日" is input help
        found = re.search(r"\d+月\d+日", body)
        assert not found, (url, body[found.start() - 300 : found.end() + 40] if found else "")
        assert not re.search(r"[A-Za-z]：", body), url
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert re.search(r"\d+月\d+日", client.get(reverse("dispatch:duty_calendar")).content.decode())

"""Every periodic job has a Chinese name and description for the administrators (issue 17, item 12)."""

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from emergency.beat import install_schedules
from emergency.job_titles import JOB_TITLES, job_title
from emergency.schedules import BEAT_SCHEDULE


def test_every_declared_job_has_a_name_and_a_description():
    assert set(BEAT_SCHEDULE) <= set(JOB_TITLES), set(BEAT_SCHEDULE) - set(JOB_TITLES)


@pytest.mark.django_db
def test_installed_jobs_carry_their_chinese_description_and_keep_an_administrators_own():
    install_schedules()
    monthly = PeriodicTask.objects.get(name="reports.monthly_reports")
    assert monthly.description.startswith("编制隐患月报")
    PeriodicTask.objects.filter(name="reports.monthly_reports").update(description="本县改为每月2日编制")
    PeriodicTask.objects.filter(name="core.sweep_outbox").update(description="")
    install_schedules()
    assert PeriodicTask.objects.get(name="reports.monthly_reports").description == "本县改为每月2日编制"
    assert PeriodicTask.objects.get(name="core.sweep_outbox").description.startswith("发送待发队列")


@pytest.mark.django_db
def test_the_admin_lists_the_jobs_by_their_chinese_names(world, client_for):
    install_schedules()
    page = client_for(world.admin).get(reverse("admin:django_celery_beat_periodictask_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert job_title("reports.monthly_reports") in html and "编制隐患月报" in html

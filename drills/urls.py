from django.urls import path

from drills.views import media, overview, register

app_name = "drills"

urlpatterns = [
    path("", register.drill_list, name="list"),
    path("calendar/", register.calendar, name="calendar"),
    path("new/", register.create, name="create"),
    path("<int:pk>/", register.detail, name="detail"),
    path("<int:pk>/edit/", register.edit, name="edit"),
    path("<int:pk>/record/", register.record, name="record"),
    path("<int:pk>/evaluate/", register.evaluate, name="evaluate"),
    path("<int:pk>/findings/new/", register.finding_add, name="finding_add"),
    path("<int:pk>/print/plan/", register.print_plan, name="print_plan"),
    path("<int:pk>/print/evaluation/", register.print_evaluation, name="print_evaluation"),
    path("<int:pk>/print/sign-in/", register.print_signin, name="print_signin"),
    path("<int:pk>/media/", media.media_add, name="media_add"),
    path("media/<int:pk>/", media.media, name="media"),
    path("media/<int:pk>/thumb/", media.media_thumb, name="media_thumb"),
    path("<int:pk>/<slug:action>/", register.act, name="act"),
    path("compliance/", overview.compliance, name="compliance"),
    path("compliance/export.xlsx", overview.compliance_export, name="compliance_export"),
    path("findings/", overview.findings, name="findings"),
    path("findings/<int:pk>/close/", overview.finding_close, name="finding_close"),
    path("plans/", overview.annual_plans, name="annual_plans"),
    path("plans/<int:pk>/", overview.annual_plan, name="annual_plan"),
    path("plans/<int:pk>/file/", overview.annual_plan_file, name="annual_plan_file"),
    path("training/", overview.trainings, name="trainings"),
    path("training/new/", overview.training_create, name="training_create"),
    path("training/untrained/", overview.untrained, name="untrained"),
]

from django.urls import path

from resources.views import dispatch, experts, network, teams

app_name = "resources"

urlpatterns = [
    path("", teams.team_list, name="team_list"),
    path("export.xlsx", teams.export, name="export"),
    path("import/", teams.import_workbook, name="import"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", teams.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/", teams.member_add, name="member_add"),
    path("teams/<int:pk>/equipment/", teams.equipment_set, name="equipment_set"),
    path("members/<int:pk>/remove/", teams.member_remove, name="member_remove"),
    path("experts/", experts.expert_list, name="expert_list"),
    path("experts/new/", experts.expert_create, name="expert_create"),
    path("experts/<int:pk>/", experts.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/edit/", experts.expert_edit, name="expert_edit"),
    path("dispatch/", dispatch.dispatch, name="dispatch"),
    path("dispatch/assign/", dispatch.assign, name="assign"),
    path("participants/remove/", dispatch.participant_remove, name="participant_remove"),
    path("reachability/", network.reachability, name="reachability"),
    path("roll-calls/", network.roll_call_list, name="roll_call_list"),
    path("roll-calls/<int:pk>/", network.roll_call_detail, name="roll_call_detail"),
    path("roll-calls/<int:pk>/answer/", network.roll_call_answer, name="roll_call_answer"),
]

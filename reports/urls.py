from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("monthly/", views.monthly_list, name="monthly_list"),
    path("monthly/<int:pk>/", views.monthly_detail, name="monthly_detail"),
    path("monthly/<int:pk>/submit/", views.monthly_submit, name="monthly_submit"),
    path("monthly/<int:pk>/reissue/", views.monthly_reissue, name="monthly_reissue"),
    path("monthly/<int:pk>.xlsx", views.monthly_export, name="monthly_export"),
    path("matrix/<int:unit_pk>/", views.matrix, name="matrix"),
    path("matrix/<int:unit_pk>.xlsx", views.matrix_export, name="matrix_export"),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/record/", views.consultation_record, name="consultation_record"),
    path("consultations/<int:pk>/countermeasures/", views.countermeasure_add, name="countermeasure_add"),
    path("consultations/<int:pk>/complete/", views.consultation_complete, name="consultation_complete"),
    path("countermeasures/<int:pk>/done/", views.countermeasure_done, name="countermeasure_done"),
    path("consultations/overview/<int:unit_pk>/", views.consultation_overview, name="consultation_overview"),
]

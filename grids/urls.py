from django.urls import path

from grids import auth_views, files, views

app_name = "grids"

urlpatterns = [
    path("", views.home, name="home"),
    path("grid/", views.tree, name="tree"),
    path("grid/units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("grid/units/choices/", views.unit_choices, name="unit_choices"),
    path("grid/people/<int:pk>/", auth_views.person_detail, name="person_detail"),
    path("grid/people/<int:pk>/password-reset/", auth_views.person_password_reset, name="person_password_reset"),
    path("grid/people/<int:pk>/unlock/", auth_views.person_unlock, name="person_unlock"),
    path("grid/import/", views.import_upload, name="import_upload"),
    path("grid/import/<int:pk>/", views.import_job_detail, name="import_job"),
    path("grid/import/<int:pk>/file/", files.import_file, name="import_file"),
    path("grid/template/<str:dataset>.<str:fmt>", views.import_template, name="import_template"),
    path("grid/export/<str:dataset>.<str:fmt>", views.export, name="export"),
]

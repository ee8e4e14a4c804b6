from django.urls import path

from grids import files, views

app_name = "grids"

urlpatterns = [
    path("", views.home, name="home"),
    path("grid/", views.tree, name="tree"),
    path("grid/units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("grid/import/", views.import_upload, name="import_upload"),
    path("grid/import/<int:pk>/", views.import_job_detail, name="import_job"),
    path("grid/import/<int:pk>/file/", files.import_file, name="import_file"),
    path("grid/template/<str:dataset>.<str:fmt>", views.import_template, name="import_template"),
    path("grid/export/<str:dataset>.<str:fmt>", views.export, name="export"),
]

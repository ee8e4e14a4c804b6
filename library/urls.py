from django.urls import path

from library.views import cases, regulations

app_name = "library"

urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("cases/export.xlsx", cases.case_export, name="case_export"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:pk>/publish/", cases.case_publish, name="case_publish"),
    path("cases/<int:pk>/files/", cases.case_attach, name="case_attach"),
    path("case-files/<int:pk>/", cases.case_file, name="case_file"),
    path("from-incident/<int:pk>/", cases.case_from_incident, name="case_from_incident"),
    path("from-drill/<int:pk>/", cases.case_from_drill, name="case_from_drill"),
    path("regulations/", regulations.regulation_list, name="regulation_list"),
    path("regulations/export.xlsx", regulations.regulation_export, name="regulation_export"),
    path("regulations/new/", regulations.regulation_create, name="regulation_create"),
    path("regulations/<int:pk>/", regulations.regulation_detail, name="regulation_detail"),
    path("regulations/<int:pk>/edit/", regulations.regulation_edit, name="regulation_edit"),
    path("regulations/<int:pk>/replace/", regulations.regulation_replace, name="regulation_replace"),
    path("regulations/<int:pk>/repeal/", regulations.regulation_repeal, name="regulation_repeal"),
    path("regulations/<int:pk>/files/", regulations.regulation_attach, name="regulation_attach"),
    path("regulation-files/<int:pk>/", regulations.regulation_file, name="regulation_file"),
]

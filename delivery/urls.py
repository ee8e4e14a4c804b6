from django.urls import path

from delivery import sms_views, views

app_name = "delivery"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.delivery_open, name="delivery_open"),
    path("<int:pk>/receipt/", views.delivery_receipt, name="delivery_receipt"),
    path("sms/report/", sms_views.sms_report, name="sms_report"),
]

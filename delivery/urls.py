from django.urls import path

from delivery import views

app_name = "delivery"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.delivery_open, name="delivery_open"),
    path("<int:pk>/receipt/", views.delivery_receipt, name="delivery_receipt"),
]

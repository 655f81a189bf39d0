from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/sent/", views.sign_in_sent, name="sign_in_sent"),
    path("sign-in/<str:token>/", views.redeem, name="redeem"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("details/", views.details, name="details"),
    path("training/", views.training, name="training"),
    path("claims/", views.claims, name="claims"),
    path("claims/new/", views.new_claim, name="new_claim"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("your-data/", views.your_data, name="your_data"),
    path("your-data/consent/", views.withdraw_consent, name="withdraw_consent"),
    path("your-data/request/", views.data_request, name="data_request"),
]

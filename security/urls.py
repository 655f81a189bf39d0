from django.urls import path

from . import views

urlpatterns = [
    path("two-factor/verify/", views.VerifyView.as_view(), name="security_verify"),
    path("two-factor/set-up/", views.EnrolView.as_view(), name="security_enrol"),
    path("two-factor/recovery-codes/", views.RecoveryCodesView.as_view(), name="security_recovery_codes"),
]

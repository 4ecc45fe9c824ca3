from django.contrib.auth import views as auth_views
from django.urls import path

from chibo.accounts import views, views_personal, views_twofactor

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("handbook/", views.handbook, name="handbook"),
    path(
        "handbook/my-data.<str:fmt>",
        views_personal.personal_data_download,
        name="personal_data",
    ),
    path("handbook/correction/", views_personal.correction_new, name="correction_new"),
    path("corrections/", views_personal.correction_list, name="corrections"),
    path("corrections/<int:pk>/", views_personal.correction_detail, name="correction"),
    # twofactor (issue 14)
    path("twofactor/", views_twofactor.overview, name="twofactor"),
    path("twofactor/setup/", views_twofactor.setup, name="twofactor_setup"),
    path("twofactor/verify/", views_twofactor.verify, name="twofactor_verify"),
    path("twofactor/recovery/", views_twofactor.recovery, name="twofactor_recovery"),
    path("twofactor/recovery-codes/", views_twofactor.codes, name="twofactor_codes"),
    path("twofactor/disable/", views_twofactor.disable, name="twofactor_disable"),
    path("users/<int:pk>/twofactor/", views_twofactor.admin_panel, name="twofactor_admin"),
    path(
        "users/<int:pk>/twofactor/reset/",
        views_twofactor.admin_reset,
        name="twofactor_admin_reset",
    ),
]

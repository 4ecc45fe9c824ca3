from django.contrib.auth import views as auth_views
from django.urls import path

from chibo.accounts import views, views_password, views_personal, views_twofactor, views_users

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
    # passwords (issue 14)
    path(
        "password_change/",
        views_password.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("password_reset/", views_password.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        views_password.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views_password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("users/", views_users.user_list, name="users"),
    path("users/new/", views_users.member_pick, name="user_new"),
    path("users/new/<int:member_pk>/", views_users.user_create, name="user_create"),
    path("users/<int:pk>/", views_users.user_detail, name="user_detail"),
    path("users/<int:pk>/reset/", views_users.user_reset, name="user_reset"),
    path("users/<int:pk>/active/", views_users.user_active, name="user_active"),
]

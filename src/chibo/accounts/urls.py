from django.contrib.auth import views as auth_views
from django.urls import path

from chibo.accounts import views, views_personal

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
]

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "chibo.reviews"
    label = "reviews"

from django.conf.locale.ru.formats import *  # noqa: F403  (Django's own, with the 24-hour clock kept)

SHORT_DATE_FORMAT = "d.m.Y"

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congdoan.settings")
application = get_asgi_application()

from congdoan.core.process import settle  # noqa: E402 — after Django is set up

settle()

"""The ``congdoan`` console script: ``manage.py`` with the project's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congdoan.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and argv[1] == "figures":  # ``congdoan figures verify|rebuild``: the kept figures
        argv[1] = "leaf_figures"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

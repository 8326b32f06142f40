"""The ``congdoan`` console script: ``manage.py`` with the project's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congdoan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(command_words(sys.argv))


def command_words(argv: list[str]) -> list[str]:
    """``congdoan figures verify|rebuild|drop`` is the ``leaf_figures`` command (the kept figures)."""
    if len(argv) > 1 and argv[1] == "figures":
        return [argv[0], "leaf_figures", *argv[2:]]
    return list(argv)


if __name__ == "__main__":
    main()

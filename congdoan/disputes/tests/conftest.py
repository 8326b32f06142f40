"""The employers fixture of the inspections tests."""

from congdoan.inspections.tests.conftest import employers as employers

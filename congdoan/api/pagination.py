"""Kept for ``REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]``: the class lives in the kernel
(``congdoan.core.pagination``), so apps paginate without importing the ``api`` app."""

from congdoan.core.pagination import PageNumberPagination

__all__ = ["PageNumberPagination"]

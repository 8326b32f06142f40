"""URL shapes shared by the API viewsets of every app (kernel: apps import it, never the api app)."""

# A numeric id in a detail URL: digits only, at most 18 of them (a bigint holds 19). Anything else,
# "abc" or 10^30, answers 404 at the router instead of reaching int() or the database (a 500 before).
ID_IN_URL = "[0-9]{1,18}"

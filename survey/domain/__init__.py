"""Pure-Python heart of the product: questionnaires, rater rules, scoring and anonymity.

Nothing here imports Flask or the database; every function takes plain data and `now` where
time matters, so the rules are tested without an app.
"""

"""The flow language: steps, targets, pages, placeholders, the four paths, the tour and
the contracts between the runner, the storefront's coach and the guide.

Nothing here imports Playwright, SQLAlchemy or a web framework, so every part may use it.
"""

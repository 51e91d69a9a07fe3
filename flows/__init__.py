"""The flows' runner: runs the flow language's definitions (``flowspec``) in Playwright,
records the guide's pictures, and reports (``run/`` runs, ``report/`` reports, ``cli``)."""

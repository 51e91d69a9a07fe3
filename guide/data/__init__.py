"""What the guide's pages read and start, apart from how they draw it.

The settings (``config``), the recordings and their pictures (``recordings``), the latest
run and a run started from the guide (``runs``), the recorder (``recorder``), accepting a
changed picture (``review``) and the storefront's control API (``storefront``). Nothing
here draws on the page; the pages and ``guide.ui`` do.
"""

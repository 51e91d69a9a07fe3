"""The web layer: it turns requests into calls of ``services`` and renders the answer."""

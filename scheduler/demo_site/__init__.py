"""A local replay of an Arabi Post-like site whose article is revised while marsad watches it.

Used by `marsad demo` and by the tests: real HTTP on 127.0.0.1, WordPress-like markup, an RSS feed at
/feed/, the article at /<section>/2021/02/26/<slug>/, a sidebar and a "تحميل المزيد" button.
"""
from .server import DemoSite, render_article, render_feed, STATES

__all__ = ["DemoSite", "render_article", "render_feed", "STATES"]

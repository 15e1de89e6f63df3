"""marsad's spiders: discovery (feeds, sitemaps, section pages) and article checks."""

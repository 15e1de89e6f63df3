"""HTML -> Article: title, text, dates, byline, language. Pure; imports only detector models."""
from .article import ExtractionError, Page, extract, parse_page
from .profiles import Profile, ProfileError, all_profiles, profile_for, profile_named

__all__ = ["ExtractionError", "Page", "Profile", "ProfileError", "all_profiles", "extract", "parse_page", "profile_for",
           "profile_named"]

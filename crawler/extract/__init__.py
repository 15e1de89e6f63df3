"""HTML -> Article: title, text, dates, byline, language. Pure; imports only detector models."""
from .article import ExtractionError, extract
from .profiles import Profile, ProfileError, all_profiles, profile_for, profile_named

__all__ = ["ExtractionError", "Profile", "ProfileError", "all_profiles", "extract", "profile_for", "profile_named"]

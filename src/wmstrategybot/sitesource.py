"""The wiki source's old address: it lives in `sources.site` (kept for scripts that import it)."""

from .sources.site import SiteSource, SkippedPage, no_prompt, password_problem, simulating

__all__ = ["SiteSource", "SkippedPage", "no_prompt", "password_problem", "simulating"]

"""newsroom-bot: digests of the figures, claims and sources in news articles, for Slack.

Public API: ``digest(text, *, title=None, url=None, outlet=None) -> Digest`` and the models.
"""

from bot.core.digest import digest
from bot.core.models import Article, Claim, Digest, Figure, Source, Stats

__all__ = ["Article", "Claim", "Digest", "Figure", "Source", "Stats", "digest"]
__version__ = "0.1.0"

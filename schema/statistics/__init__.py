"""Statistics, rankings (红黑榜) and rating summaries in the API."""

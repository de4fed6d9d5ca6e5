"""Statistics departments pull, rankings (红黑榜), rating summaries and exports."""

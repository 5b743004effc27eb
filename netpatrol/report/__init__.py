"""Report: an operation's figures, as its press release quotes them, and its exports."""

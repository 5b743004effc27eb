"""netpatrol: an open cyber-patrol platform against illicit online trade."""

__version__ = "0.1.0"

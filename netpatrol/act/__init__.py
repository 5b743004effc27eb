"""Act: jurisdiction of sites and listings, referral packages, takedown tracking, operations."""

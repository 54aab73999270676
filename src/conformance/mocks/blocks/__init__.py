"""Building blocks shared by every mock: clock, routing, tokens, store, pages, limits, webhooks."""

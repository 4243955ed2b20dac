"""The integrations screen: webhooks and API keys (administrators)."""

"""Customer service's review queue (客服审核)."""

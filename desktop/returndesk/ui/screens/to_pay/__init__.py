"""The "to pay" worklist: approved returns whose refund is not issued yet."""

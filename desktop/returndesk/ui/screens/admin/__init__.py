"""The administrator's screen: users, stations, sites, the return policy, reasons and the admin log."""

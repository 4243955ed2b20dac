"""Infrastructure: reaching and opening the database, settings kept per station, printer routing,
change feeds, and the facade the desktop client holds."""

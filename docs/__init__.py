"""The user guide and its pictures, shipped with the program for its help window (F1)."""

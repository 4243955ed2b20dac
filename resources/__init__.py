"""Bundled non-code assets: fonts, sounds, translations, icons, styles."""

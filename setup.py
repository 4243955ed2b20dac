"""Package layout: the import package lives in desktop/; db/, resources/ and docs/ (the user guide
for the help window) ship inside it."""

from setuptools import find_packages, setup

MAPPED = {
    "returndesk.db": "db",
    "returndesk.db.migrations": "db/migrations",
    "returndesk.db.migrations.versions": "db/migrations/versions",
    "returndesk.resources": "resources",
    "returndesk.docs": "docs",
}

setup(
    packages=find_packages("desktop") + list(MAPPED),
    package_dir={"": "desktop", **MAPPED},
    package_data={
        "returndesk.db": ["seed/*.json", "seed/*.csv"],
        "returndesk.db.migrations": ["*.mako"],
        "returndesk.resources": ["fonts/*", "sounds/*", "i18n/*.qm", "i18n/*.ts", "icons/*", "styles/*"],
        "returndesk.docs": ["user-guide*.md", "images/*/*.png"],  # the guide in every language
    },
)

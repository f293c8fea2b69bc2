"""Core: app factory, config, database, i18n, security headers, errors and shared template macros."""

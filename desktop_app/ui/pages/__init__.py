"""List screens: profiles, templates with pipelines, participants, sessions."""

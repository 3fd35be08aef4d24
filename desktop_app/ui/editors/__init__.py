"""Editor dialogs for profiles, templates, stages and participants."""

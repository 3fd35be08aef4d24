"""GUI tests with pytest-qt (offscreen), mirroring desktop_app/ui."""

"""Version of the lab heat. Tests change CODE_MARKER to see new code running remotely."""
VERSION = "24.0.0"
CODE_MARKER = "lab-heat-1"

"""What a repository says about itself: the profile its dependencies, imports and images show, each key with the
file and line that show it. Read within the project root, bounded, never executing anything (DESIGN §5a)."""

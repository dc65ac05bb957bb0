"""readiness: tells a team whether its AI system is ready for production, and what stands in the way."""

__version__ = "0.1.0"

"""The tool's version, in one place: ``extract --version``, manifests and shard names."""

__version__ = "0.1.0"

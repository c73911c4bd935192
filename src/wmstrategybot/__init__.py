"""wmstrategybot: event documentation on MediaWiki, extracted to data and published back."""

__version__ = "0.1.0"

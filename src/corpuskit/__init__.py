"""corpuskit: raw scraped web texts in, a versioned, validated, documented dataset out."""

#: The tool's version (the dataset's version is its project's: ``version`` in its config).
__version__ = "1.2.0"

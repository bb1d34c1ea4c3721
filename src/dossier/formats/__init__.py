"""Outside formats, one module each: what other tools read from the dossier, or give it.

Fact-checkers publish so that others can reuse the work: search engines read
schema.org ClaimReview, annotation tools exchange W3C Web Annotations,
readers follow corrections in feeds.  Each format is a plain function of the
checked, anchored dossier, kept apart from the site's own pages.
"""

"""The site layer: the pages that show several apps together, above every app.

Home, specialty, doctor and search pages, feeds, sitemaps and robots.txt, and the
`load_demo` and `generate_dataset` commands, which write every app's tables. It has no
models. Dependencies point one way, `forum` <- `questions` <- `answers` <- `forum.site`
(DESIGN.md, "Layout"): nothing below imports this package, and `lint-imports`
(pyproject.toml) checks it.
"""

"""Projects, matching, offers and guideline acknowledgements: the use cases behind the views.

One module per concern: `ratecards`, `features` (the matching core's inputs, in bulk queries),
`matches`, `offers`, `guidelines`, `clients` (clients and projects); `rules` holds the shared
vocabulary. The matching core (`portal.projects.matching`, `ratecard`) is pure; these feed it.
Public functions are use cases and own their one commit; private helpers only flush.
"""

"""The documents that describe a built dataset: the Hub card (``card``), the datasheet and the
licence file (templates rendered by ``card``), ``datapackage.json`` (``datapackage``) and
``croissant.json`` (``croissant``). Their numbers come from ``figures``, computed from the tables
as they were written; their prose from the project (``corpuskit.project``)."""

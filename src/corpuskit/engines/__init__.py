"""Engines beyond this machine, each registered in :data:`corpuskit.executors.ENGINES` by name.

Importing an engine's module never imports the engine's library: that happens when a build
asks for the engine, so that the tool works, and says how to install the library, without it.
"""

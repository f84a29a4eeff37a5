"""Runtime mode: rebuild models with real Keras in a worker process.

plan.py (IR -> JSON build plan), client.py (spawns and talks to the worker),
worker.py (the only module that imports Keras), results.py (answers -> what
the KC5xx rules read). Importing this package never imports Keras.
"""

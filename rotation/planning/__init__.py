"""The rotation planner: problem file in, plan file out (spec: shared/spec/planning-format.md).

Pure package: stdlib, numpy and ortools only; nothing of Flask or the database.
"""

"""The library's own file and table layouts, both directions, with no Timeline.

Placeholder until the formats move lands: these modules re-export the writers from their
current homes in :mod:`relations.io`.
"""

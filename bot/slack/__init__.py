"""The Slack edge: the app factory, thin listeners, Block Kit rendering and the server.

``create_app(settings) -> slack_bolt.App``; ``serve(settings, ...)`` runs it over HTTP or
Socket Mode. Nothing here decides what a figure or a source is: that is ``bot.core``.
"""

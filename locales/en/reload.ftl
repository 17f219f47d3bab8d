# A refused charter change, posted to the mod log.
reload-refused-title = Charter not reloaded
reload-refused-intro = The previous charter stays active. Errors:

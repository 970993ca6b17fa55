"""The docks of the main window: each binds to the ViewModel and the Session it is given.

A panel shows what the :class:`~app.view_model.ViewModel` and the :class:`~app.session.Session`
hold and reports the user's wishes by changing the view model or by its own signals; the
window never reads a panel's widgets.
"""

__all__: list[str] = []

"""X-6: one deadline radar across the apps, in working hours, for the staff member's area.

Each app registers the deadlines it keeps (``registry.register_deadline_source``, from its
``AppConfig.ready``; the sources live in the app's ``deadlines.py``), so the core imports no app and a
new app adds its deadlines without editing the core. The core does the working-hours arithmetic
(``portal.workcal``), the classification (``states``: on time, due soon, late), the scope check and
the page (``views``).
"""

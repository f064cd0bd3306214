"""answers' pages, one module per audience: public.py (FAQs, thanking a doctor),
doctors.py (application, dashboard, history, reply and edit), moderation.py (the
moderation queue's lists, the audit log, editing a pending question) and decisions.py
(every moderation decision URL, one view over a table). access.py holds the doctor and
moderator checks they share."""

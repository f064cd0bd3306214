"""Moderators' decisions, one module per kind of thing decided on: questions.py (edit
and approve a pending question; approving and rejecting are questions.actions'),
replies.py (approve, send back, hide, restore) and doctors.py (verify, reject, suspend,
restore: one action, the transitions as data). answers/views/decisions.py maps each
decision URL onto these."""

from django.dispatch import Signal

# Sent after a learner's xAPI statement is checked and kept, and again when the
# same statement is sent a second time (a retry): whatever depends on a
# learner's results (lessons, courses) re-checks itself. Sent outside the
# recording's transaction. Arguments: statement (the XAPIStatement row).
statement_recorded = Signal()

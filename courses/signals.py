from django.dispatch import Signal

# Sent inside the transaction that marks an enrolment complete, exactly once per
# enrolment. Receivers (certificates) do their writes in that same transaction,
# so a failure rolls the completion back too. Arguments: enrolment.
course_completed = Signal()

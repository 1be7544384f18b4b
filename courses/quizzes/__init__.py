"""Server-graded quizzes: attempts, grading, reports and question-bank files.

``services`` holds every write (start, save, submit, import); ``reads`` what pages
show; ``grading`` is pure and holds the rules; ``analysis`` the trainer report.
"""

"""Bulk enrolment of a cohort's learners from a CSV or XLSX file."""

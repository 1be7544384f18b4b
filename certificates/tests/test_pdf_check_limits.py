"""The PDF check (each one hashes up to 10 MB) is limited per address, known
PDFs included; looking at the page is not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def upload(client, data, address="10.3.0.1"):
    return client.post(
        "/verify/",
        {"pdf": SimpleUploadedFile("c.pdf", data, "application/pdf")},
        REMOTE_ADDR=address,
    )


def test_pdf_checks_are_refused_past_the_address_limit(
    client, issued, counting_cache, set_limit
):
    set_limit("pdf_check", learner=None, address=(2, 600))
    with issued.pdf.open("rb") as file:
        data = file.read()

    answers = [upload(client, data) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "This is the PDF we issued" in answers[1].content.decode()
    assert 1 <= int(answers[2]["Retry-After"]) <= 600
    assert "too often" in answers[2].content.decode()
    # Reading the page and typing a code are not PDF checks.
    assert client.get("/verify/", REMOTE_ADDR="10.3.0.1").status_code == 200
    assert upload(client, data, address="10.3.0.2").status_code == 200


def test_a_pdf_over_the_request_limit_is_refused_unread(client, db):
    class Unread:
        read = readline = None

    response = client.generic(
        "POST",
        "/verify/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(12 * 1024 * 1024),
        **{"wsgi.input": Unread()},
    )
    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()

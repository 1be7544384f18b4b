import datetime
import io
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from decimal import Decimal

import pytest
from asn1crypto import pem
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.pdfbase import pdfmetrics

from certificates.rendering import (
    CertificateFacts,
    CertificateStyle,
    FontsNotFoundError,
    Signatory,
    check_wording,
    format_date,
    format_hours,
    render_certificate_pdf,
)
from certificates.rendering.content import fill_wording
from certificates.rendering.fonts import find_font_files, register_fonts
from certificates.rendering.pades import (
    PadesSigningError,
    sign_pdf_pades,
    verify_pades,
)
from certificates.rendering.text import Span, bidi_levels, fit_size, shape_line, wrap

URL = "https://verify.example.org/verify/K7QM-3XD9-P2RT-W8HC/"
FRAME = 26  # the inner border, in points from each page edge
PAGE_WIDTH, PAGE_HEIGHT = 841.89, 595.28


def tool(name):
    path = shutil.which(name)
    if path is None:
        # `make test` installs them (scripts/os-packages.sh); a missing tool
        # must not turn these checks into silent skips.
        pytest.fail(
            f"{name} is not installed (Debian: poppler-utils, zbar-tools, qpdf)"
        )
    return path


def run(*args) -> str:
    result = subprocess.run(  # noqa: S603 - fixed local tools, no shell
        [tool(args[0]), *args[1:]], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.fixture
def facts():
    return CertificateFacts(
        holder_name_en="Muhammad Ali Khan",
        holder_name_ur="محمد علی خان",
        course_title_en="Active Learning in Multigrade Classrooms",
        course_title_ur="کثیر جماعتی کمرۂ جماعت میں فعال تدریس",
        programme_title_en="National Teachers Training Program",
        programme_title_ur="قومی پروگرام برائے تربیتِ اساتذہ",
        cpd_hours=Decimal("12.5"),
        issued_on=datetime.date(2025, 3, 14),
        expires_on=datetime.date(2028, 3, 13),
        issuer_en="Alliance Teachers Forum",
        issuer_ur="الائنس ٹیچرز فورم",
        verification_code="K7QM-3XD9-P2RT-W8HC",
        verification_url=URL,
    )


@pytest.fixture
def style():
    return CertificateStyle(
        signatories=(
            Signatory("Dr. Ayesha Siddiqui", "ڈاکٹر عائشہ صدیقی", "Programme Director"),
        ),
        validity_en="Valid for three years from the date of issue.",
        validity_ur="یہ سند تاریخِ اجرا سے تین سال تک کارآمد ہے۔",
    )


@pytest.fixture
def pdf_file(tmp_path, facts, style):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(render_certificate_pdf(facts, style))
    return path


def png_bytes(colour, size=(240, 80)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


# --- the PDF as a reader, a scanner and a checker sees it -----------------------


def test_pdf_is_one_a4_landscape_page(pdf_file):
    info = run("pdfinfo", str(pdf_file))
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"^Page size:\s+841\.89 x 595\.2\d* pts \(A4\)", info, re.M)


def test_qr_code_scans_to_the_verification_url(pdf_file, tmp_path):
    run(
        "pdftoppm",
        "-r",
        "150",
        "-png",
        "-singlefile",
        str(pdf_file),
        str(tmp_path / "page"),
    )
    decoded = run("zbarimg", "--quiet", "--raw", str(tmp_path / "page.png"))
    assert decoded.splitlines() == [URL]


def test_text_layer_holds_the_latin_name_code_hours_and_url(pdf_file):
    text = run("pdftotext", "-layout", str(pdf_file), "-")
    for expected in (
        "Muhammad Ali Khan",
        "K7QM-3XD9-P2RT-W8HC",
        "12.5",
        "14 March 2025",
        "13 March 2028",
        URL,
    ):
        assert expected in text


def test_all_fonts_are_embedded_subsets_including_nastaliq(pdf_file):
    rows = run("pdffonts", str(pdf_file)).splitlines()[2:]
    fonts = {row.split()[0]: row.split() for row in rows}
    assert any(
        re.fullmatch(r"[A-Z]{6}\+NotoNastaliqUrdu-Regular", name) for name in fonts
    )
    for name, columns in fonts.items():
        # name type encoding emb sub uni id gen: emb and sub must both be "yes"
        assert columns[-5:-3] == ["yes", "yes"], name
        assert re.match(r"[A-Z]{6}\+", name), name


def test_urdu_in_the_pdf_is_drawn_with_shaped_contextual_glyphs():
    # Contextual Nastaliq forms have no Unicode code point of their own, so
    # ReportLab maps them to the private use area. Unshaped text would be drawn
    # with the plain Arabic letters instead.
    line = shape_line([Span("محمد علی خان", register_fonts().regular)], 20, True)
    glyphs = "".join(run.glyphs for run in line.runs)
    private_use = [char for char in glyphs if unicodedata.category(char) == "Co"]
    assert len(private_use) > 5
    assert "محمد" not in glyphs


def test_urdu_in_the_pdf_reads_as_its_real_text(pdf_file):
    # Each shaped Urdu word carries its text (/ActualText), so a PDF reader can
    # copy, search and read it aloud: no private-use characters come out.
    text = run("pdftotext", str(pdf_file), "-")
    for expected in (
        "محمد علی خان",
        "کثیر جماعتی کمرۂ جماعت میں فعال تدریس",
        "الائنس ٹیچرز فورم",
        "ڈاکٹر عائشہ صدیقی",
        "Muhammad Ali Khan",
    ):
        assert expected in text
    assert not [char for char in text if unicodedata.category(char) == "Co"]
    # In reading order: the holder's names before the course and the dates.
    assert text.index("Muhammad Ali Khan") < text.index("محمد علی خان")
    assert text.index("محمد علی خان") < text.index("14 March 2025")


def test_pdf_has_a_title_a_language_and_passes_qpdf_check(pdf_file):
    info = run("pdfinfo", str(pdf_file))
    assert re.search(
        r"^Title:\s+Certificate of Completion: Muhammad Ali Khan$", info, re.M
    )
    run("qpdf", "--check", str(pdf_file))  # exits non-zero on a damaged file
    catalog = run("qpdf", "--show-object=trailer", str(pdf_file))
    root = re.search(r"/Root (\d+) 0 R", catalog).group(1)
    root_object = run("qpdf", f"--show-object={root}", str(pdf_file))
    assert "/Lang (en)" in root_object
    preferences = re.search(r"/ViewerPreferences (\d+) 0 R", root_object)
    shown = run("qpdf", f"--show-object={preferences.group(1)}", str(pdf_file))
    assert "/DisplayDocTitle true" in shown
    streams = subprocess.run(  # noqa: S603 - a fixed local tool, no shell
        [tool("qpdf"), "--qdf", "--object-streams=disable", str(pdf_file), "-"],
        capture_output=True,
        check=True,
    ).stdout
    assert b"/Span <</Lang (ur) /ActualText <feff" in streams


def test_long_names_and_titles_stay_inside_the_border(tmp_path, facts, style):
    long_facts = replace(
        facts,
        holder_name_en="Muhammad Abdul Rehman Ali Khan Yousafzai Qureshi Siddiqui "
        "Chaudhry Bhatti",
        holder_name_ur="محمد عبدالرحمٰن علی خان یوسفزئی قریشی صدیقی چودھری بھٹی "
        "محمد عبدالرحمٰن",
        course_title_en="An Extremely Long Course Title About Inclusive Assessment "
        "Practices For Multigrade And Multilingual Primary Classrooms",
        verification_url="https://learning.alliance-teachers-forum.example.org/"
        "certificates/verify/K7QM-3XD9-P2RT-W8HC/",
    )
    path = tmp_path / "long.pdf"
    path.write_bytes(render_certificate_pdf(long_facts, style))

    boxes = run("pdftotext", "-bbox", str(path), "-")
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">',
        boxes,
    )
    assert len(words) > 40
    for x_min, y_min, x_max, y_max in words:
        # (Nastaliq marks placed by negative offsets can give xMax < xMin.)
        for x in (float(x_min), float(x_max)):
            assert FRAME < x < PAGE_WIDTH - FRAME
        for y in (float(y_min), float(y_max)):
            assert FRAME < y < PAGE_HEIGHT - FRAME


def test_superseded_copy_says_so_in_its_text(tmp_path, facts, style):
    status = "Superseded by K7QM-3XD9-P2RT-W8HD"
    pdf = render_certificate_pdf(
        replace(facts, status_en=status, status_ur="منسوخ شدہ"), style
    )
    path = tmp_path / "superseded.pdf"
    path.write_bytes(pdf)

    text = run("pdftotext", "-raw", str(path), "-")
    assert text.count(status) == 2  # the line under the title and the watermark


def test_logo_and_signature_images_are_embedded(tmp_path, facts):
    signature_path = tmp_path / "signature.png"
    signature_path.write_bytes(png_bytes("navy"))
    style = CertificateStyle(
        logo=png_bytes("darkgreen", (300, 120)),
        signatories=(
            Signatory("Dr. Ayesha Siddiqui", signature=signature_path),
            Signatory("Imran Qureshi", "عمران قریشی", "Chair", "چیئرمین"),
        ),
    )
    path = tmp_path / "images.pdf"
    path.write_bytes(render_certificate_pdf(facts, style))

    listing = run("pdfimages", "-list", str(path)).splitlines()[2:]
    assert sorted(line.split()[3:5] for line in listing) == [
        ["240", "80"],
        ["300", "120"],
    ]


def test_a_certificate_without_urdu_name_or_expiry_renders(tmp_path, facts):
    pdf = render_certificate_pdf(
        replace(facts, holder_name_ur="", expires_on=None), CertificateStyle()
    )
    path = tmp_path / "plain.pdf"
    path.write_bytes(pdf)

    text = run("pdftotext", str(path), "-")
    assert "Muhammad Ali Khan" in text
    assert "Valid until".upper() not in text


def test_style_colours_must_be_hex(facts):
    with pytest.raises(ValueError, match="#rrggbb"):
        render_certificate_pdf(facts, CertificateStyle(primary_colour="green"))


def test_wording_with_an_unknown_placeholder_is_refused(facts):
    with pytest.raises(ValueError, match=r"\{learner\}"):
        render_certificate_pdf(
            facts, CertificateStyle(wording_en="Well done {learner}")
        )


# --- fonts ----------------------------------------------------------------------


def test_missing_fonts_name_the_debian_package(tmp_path):
    with pytest.raises(FontsNotFoundError, match="fonts-noto-core") as error:
        find_font_files([tmp_path])
    assert str(tmp_path) in str(error.value)


def test_font_directories_are_searched_in_order(tmp_path):
    default = find_font_files()
    first = tmp_path / "first"
    first.mkdir()
    (first / "NotoSerif-Regular.ttf").symlink_to(default["CertLatin"])

    paths = find_font_files([first, default["CertUrdu"].parent])

    assert paths["CertLatin"] == first / "NotoSerif-Regular.ttf"
    assert paths["CertUrdu"] == default["CertUrdu"]


# --- bidi and shaping -----------------------------------------------------------


@pytest.fixture(scope="module")
def fonts():
    return register_fonts()


def test_urdu_name_is_one_nastaliq_run_shaped_right_to_left(fonts):
    name = "محمد علی خان"
    line = shape_line([Span(name, fonts.regular)], 20, rtl=True)

    (run_,) = line.runs
    assert run_.font_name == fonts.regular.urdu
    assert run_.rtl
    glyphs = run_.glyphs
    # Joined letters take contextual forms that are not the input characters.
    assert set(glyphs) - set(name)
    # HarfBuzz returns a right-to-left run in visual order: the glyph of the
    # first letter (cluster 0) is drawn last, at the right.
    clusters = [data.cluster for data in glyphs.__shapeData__]
    assert clusters == sorted(clusters, reverse=True)
    assert clusters[0] == len(name) - 1 and clusters[-1] == 0
    # Nastaliq sets letters on a descending diagonal: glyphs are raised, and
    # ReportLab honours those offsets only for fonts marked shapable.
    assert any(data.y_offset for data in glyphs.__shapeData__)
    assert pdfmetrics.getFont(run_.font_name).shapable


def test_digits_and_latin_in_an_urdu_line_keep_their_reading_order(fonts):
    line = shape_line(
        [Span("سی پی ڈی گھنٹے: 12.5 (NTTP) کورس", fonts.regular)], 14, rtl=True
    )

    texts = [run_.text for run_ in line.runs]
    assert texts == [") کورس", "NTTP", " (", "12.5", "سی پی ڈی گھنٹے: "]
    latin = [run_ for run_ in line.runs if not run_.rtl]
    assert [run_.glyphs for run_ in latin] == ["NTTP", "12.5"]
    assert {run_.font_name for run_ in latin} == {fonts.regular.latin}


def test_brackets_are_mirrored_in_right_to_left_runs(fonts):
    line = shape_line(
        [Span("سی پی ڈی گھنٹے: 12.5 (NTTP) کورس", fonts.regular)], 14, rtl=True
    )
    before_nttp, nttp, after_nttp = line.runs[0], line.runs[1], line.runs[2]

    assert nttp.glyphs == "NTTP"
    # Visually: "(" just left of NTTP, ")" just right of it.
    assert str(after_nttp.glyphs) == ") "
    assert before_nttp.glyphs[-1] == "("


def test_urdu_digits_are_not_reversed(fonts):
    line = shape_line([Span("کورس ۱۲۳ نمبر", fonts.regular)], 14, rtl=True)

    (digits,) = [run_ for run_ in line.runs if not run_.rtl]
    assert digits.glyphs == "۱۲۳"


def test_zero_width_non_joiner_stays_inside_the_urdu_run(fonts):
    line = shape_line([Span("سند\u200cیافتہ", fonts.regular)], 14, rtl=True)

    assert [run_.text for run_ in line.runs] == ["سند\u200cیافتہ"]


def test_english_line_with_an_urdu_name_orders_runs_visually(fonts):
    line = shape_line([Span("Awarded to محمد علی on", fonts.regular)], 12, rtl=False)

    assert [run_.text for run_ in line.runs] == ["Awarded to ", "محمد علی", " on"]
    assert [run_.rtl for run_ in line.runs] == [False, True, False]


def test_bidi_levels_follow_the_unicode_algorithm():
    assert bidi_levels("abc 12", rtl=False) == [0] * 6
    assert bidi_levels("ab جج 12", rtl=False) == [0, 0, 0, 1, 1, 1, 2, 2]
    assert bidi_levels("جج 12 ab", rtl=True) == [1, 1, 1, 2, 2, 1, 2, 2]


def test_wrapped_lines_fit_the_measure_and_keep_every_word(fonts):
    english = (
        "for successfully completing the course Active Learning in Multigrade "
        "Classrooms of the National Teachers Training Program"
    )
    urdu = "قومی پروگرام برائے تربیتِ اساتذہ کے کورس کثیر جماعتی کمرۂ جماعت میں"
    for text, rtl in ((english, False), (urdu, True)):
        lines = wrap([Span(text, fonts.regular)], 12, 200, rtl)

        assert len(lines) > 1
        assert all(line.width <= 200 for line in lines)
        words = [
            word
            for line in lines
            for word in "".join(run_.text for run_ in line.runs).split()
        ]
        assert sorted(words) == sorted(text.split())


def test_fit_size_shrinks_a_line_to_the_width(fonts):
    spans = [Span("Muhammad Abdul Rehman Ali Khan Yousafzai", fonts.bold)]
    size = fit_size(spans, 28, 200, rtl=False)

    assert size < 28
    assert shape_line(spans, size, rtl=False).width == pytest.approx(200)


# --- wording --------------------------------------------------------------------


def test_wording_values_are_marked_for_bold():
    pieces = fill_wording(
        "for {course_title}, {cpd_hours} hours.",
        {"course_title": "Active Learning", "cpd_hours": "12.5"},
    )
    assert pieces == [
        ("for ", False),
        ("Active Learning", True),
        (", ", False),
        ("12.5", True),
        (" hours.", False),
    ]


def test_wording_is_not_python_format():
    values = {"holder_name": "Ali"}
    assert fill_wording("{holder_name.__class__}", values) == [
        ("{holder_name.__class__}", False)
    ]
    with pytest.raises(ValueError):
        check_wording("{0}{holder_name}{nope}")


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        ("12.5", "12.5"),
        ("12.50", "12.5"),
        ("10.0", "10"),
        ("100", "100"),
        ("0.25", "0.25"),
    ],
)
def test_cpd_hours_are_written_without_trailing_zeros(hours, text):
    assert format_hours(Decimal(hours)) == text


@pytest.mark.parametrize("hours", ["-1", "NaN", "Infinity"])
def test_cpd_hours_must_be_a_non_negative_number(hours):
    with pytest.raises(ValueError):
        format_hours(Decimal(hours))


def test_dates_are_written_in_english_and_urdu():
    day = datetime.date(2025, 3, 14)
    assert format_date(day) == "14 March 2025"
    assert format_date(day, "ur") == "14 مارچ 2025"


# --- PAdES ----------------------------------------------------------------------


def make_pkcs12(path, common_name, passphrase):
    """A throwaway self-signed signing certificate; returns its PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer",
            key,
            certificate,
            None,
            serialization.BestAvailableEncryption(passphrase.encode()),
        )
    )
    return certificate.public_bytes(serialization.Encoding.PEM)


@pytest.fixture
def pades_signed(tmp_path, facts, style):
    certificate = make_pkcs12(tmp_path / "issuer.p12", "Alliance test issuer", "s3cret")
    signed = sign_pdf_pades(
        render_certificate_pdf(facts, style), tmp_path / "issuer.p12", "s3cret"
    )
    return signed, certificate


def test_pades_signed_certificate_verifies_against_its_issuer(pades_signed, tmp_path):
    signed, certificate = pades_signed
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)

    assert verify_pades(signed, [certificate])
    assert "Muhammad Ali Khan" in run("pdftotext", str(path), "-")


def test_pades_accepts_a_der_trust_root(pades_signed):
    signed, certificate = pades_signed
    _, _, der = pem.unarmor(certificate)
    assert verify_pades(signed, [der])


def test_pades_refuses_unsigned_tampered_and_untrusted_pdfs(
    pades_signed, tmp_path, facts, style
):
    signed, certificate = pades_signed
    stranger = make_pkcs12(tmp_path / "stranger.p12", "Someone else", "x")
    tampered = signed.replace(b"Muhammad Ali Khan", b"Muhammad Ali Kham")
    assert tampered != signed

    assert not verify_pades(render_certificate_pdf(facts, style), [certificate])
    assert not verify_pades(tampered, [certificate])
    assert not verify_pades(signed, [stranger])
    assert not verify_pades(b"%PDF-1.4 not really", [certificate])


def test_pades_refuses_changes_appended_after_signing(pades_signed):
    signed, certificate = pades_signed
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = generic.TextStringObject("ur")
    writer.update_root()
    updated = io.BytesIO()
    writer.write(updated)

    assert not verify_pades(updated.getvalue(), [certificate])


def test_pades_signing_reports_a_wrong_passphrase(tmp_path, facts, style):
    make_pkcs12(tmp_path / "issuer.p12", "Alliance test issuer", "right")
    with pytest.raises(PadesSigningError):
        sign_pdf_pades(b"%PDF", tmp_path / "issuer.p12", "wrong")

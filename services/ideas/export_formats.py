"""The files of an export, written as they are read: each writer takes the header and an
iterable of rows (exports.py) and yields the file's bytes, so that 100,000 ideas go out in
constant memory (bench/exports.py measures it).

- CSV as French spreadsheets open it: UTF-8 with a BOM (else Excel reads it as Windows-1252),
  `;` between cells (the comma is the decimal separator in French), CRLF and RFC 4180 quotes;
  dates as 24/11/2026 10:00, which both read as dates; texts guarded against formulas.
- XLSX through XlsxWriter in constant_memory mode: rows go to a temporary file as they come
  (inline strings, no shared table), the package is zipped at the end, then sent in chunks.
  Strings are written as strings (write_string): none becomes a formula.
- ODS: the OpenDocument package is a zip of a few XML files; stream-zip zips content.xml as
  the standard library's XMLGenerator writes it, row after row. (The ODS libraries, odfpy,
  odswriter, ezodf, odfdo, build the whole document in memory: 100,000 rows of 12 cells are
  1.2 million DOM nodes, hundreds of MB.)"""
import csv
import io
import json
import tempfile
from datetime import datetime, timezone
from xml.sax.saxutils import XMLGenerator

import xlsxwriter
from stream_zip import NO_COMPRESSION_32, ZIP_32, stream_zip

from services.ideas.exports import guarded

BOM = "\ufeff"
BATCH = 200  # rows per chunk sent
CSV_DATE = "%d/%m/%Y %H:%M"
SHEET_DATE = "dd/mm/yyyy hh:mm"
CHUNK = 64 * 1024


def csv_bytes(header, rows, delimiter=";", bom=True):
    """The CSV file, in chunks of BATCH rows (open data: `,` and no BOM, opendata.py)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    if bom:
        buffer.write(BOM)
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([_csv_cell(value) for value in row])
        if n % BATCH == 0:
            yield _take(buffer)
    yield _take(buffer)


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(CSV_DATE)
    return guarded(value)


def _take(buffer):
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def xlsx_bytes(header, rows, sheet="Idées"):
    """The XLSX file: built in a temporary file (constant_memory), then read out in chunks."""
    with tempfile.TemporaryFile() as file:
        workbook = xlsxwriter.Workbook(file, {"constant_memory": True,
                                              "strings_to_formulas": False,
                                              "strings_to_urls": False})
        worksheet = workbook.add_worksheet(sheet)
        bold, date = workbook.add_format({"bold": True}), workbook.add_format(
            {"num_format": SHEET_DATE})
        for column, title in enumerate(header):
            worksheet.write_string(0, column, title, bold)
        worksheet.freeze_panes(1, 0)
        for line, row in enumerate(rows, 1):
            for column, value in enumerate(row):
                if isinstance(value, datetime):
                    worksheet.write_datetime(line, column, value, date)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    worksheet.write_number(line, column, value)
                elif value not in (None, ""):
                    worksheet.write_string(line, column, str(value))
        workbook.close()
        file.seek(0)
        while chunk := file.read(CHUNK):
            yield chunk


def json_bytes(head, items):
    """{**head, "items": [...]}, an item at a time."""
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "items": ['
    yield opening.encode("utf-8")
    chunk, first = [], True
    for item in items:
        chunk.append(("" if first else ",") + "\n" + json.dumps(item, ensure_ascii=False))
        first = False
        if len(chunk) == BATCH:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    yield ("".join(chunk) + "\n]}\n").encode("utf-8")


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ODS_MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    b' manifest:version="1.2">'
    b'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="'
    + ODS_MIMETYPE + b'"/>'
    b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    b'</manifest:manifest>')
NS = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
      "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
      "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
      "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
      "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"}
# A date-time style shown as 24/11/2026 10:00, and the cell style that uses it.
DATE_STYLE = [("number:date-style", {"style:name": "N1"}, [
    ("number:day", {"number:style": "long"}, []), ("number:text", {}, "/"),
    ("number:month", {"number:style": "long"}, []), ("number:text", {}, "/"),
    ("number:year", {"number:style": "long"}, []), ("number:text", {}, " "),
    ("number:hours", {"number:style": "long"}, []), ("number:text", {}, ":"),
    ("number:minutes", {"number:style": "long"}, [])]),
    ("style:style", {"style:name": "ce1", "style:family": "table-cell",
                     "style:data-style-name": "N1"}, [])]


def ods_bytes(header, rows, sheet="Idées"):
    """The ODS file, zipped as content.xml is written."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    return stream_zip([
        ("mimetype", now, 0o644, NO_COMPRESSION_32, (ODS_MIMETYPE,)),
        ("META-INF/manifest.xml", now, 0o644, ZIP_32, (ODS_MANIFEST,)),
        ("content.xml", now, 0o644, ZIP_32, _ods_content(header, rows, sheet))],
        extended_timestamps=False)


def _ods_content(header, rows, sheet):
    buffer = io.StringIO()
    xml = XMLGenerator(buffer, "utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement("office:document-content", {
        **{f"xmlns:{prefix}": uri for prefix, uri in NS.items()}, "office:version": "1.2"})
    xml.startElement("office:automatic-styles", {})
    _elements(xml, DATE_STYLE)
    xml.endElement("office:automatic-styles")
    for name, attributes in (("office:body", {}), ("office:spreadsheet", {}),
                             ("table:table", {"table:name": sheet})):
        xml.startElement(name, attributes)
    _ods_row(xml, header)
    for n, row in enumerate(rows, 1):
        _ods_row(xml, row)
        if n % BATCH == 0:
            yield _take(buffer)
    for name in ("table:table", "office:spreadsheet", "office:body",
                 "office:document-content"):
        xml.endElement(name)
    xml.endDocument()
    yield _take(buffer)


def _ods_row(xml, row):
    xml.startElement("table:table-row", {})
    for value in row:
        if isinstance(value, datetime):
            attributes = {"office:value-type": "date", "table:style-name": "ce1",
                          "office:date-value": value.isoformat()}
            shown = value.strftime(CSV_DATE)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            attributes, shown = {"office:value-type": "float", "office:value": str(value)}, \
                str(value)
        elif value in (None, ""):
            xml.startElement("table:table-cell", {})
            xml.endElement("table:table-cell")
            continue
        else:
            attributes, shown = {"office:value-type": "string"}, str(value)
        xml.startElement("table:table-cell", attributes)
        _elements(xml, [("text:p", {}, shown)])
        xml.endElement("table:table-cell")
    xml.endElement("table:table-row")


def _elements(xml, elements):
    """(name, attributes, children or text) trees."""
    for name, attributes, inside in elements:
        xml.startElement(name, attributes)
        if isinstance(inside, str):
            xml.characters(inside)
        else:
            _elements(xml, inside)
        xml.endElement(name)

"""The CSV upload form of the imports."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize

from ..i18n import _l

MAX_CSV_BYTES = 2 * 1024 * 1024


class CsvUploadForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a CSV file.")),
            FileAllowed(["csv"], _l("Only .csv files can be imported.")),
            FileSize(max_size=MAX_CSV_BYTES, message=_l("The file is larger than 2 MB.")),
        ],
        description=_l("UTF-8, comma or semicolon separated, with a header row."),
    )

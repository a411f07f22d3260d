"""The PDF report's child process (pdf.render starts it): a job as JSON on stdin, the PDF
on stdout. A module of its own, which nothing imports, so that `python -m` runs it once."""

import json
import sys

from facilitation.exports import pdf


def main():
    job = json.load(sys.stdin)
    drawn = pdf.document(job["html"], job["base_url"], job["assets"]).write_pdf()
    sys.stdout.buffer.write(drawn)


if __name__ == "__main__":
    main()

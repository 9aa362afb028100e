"""Reading reports as they arrive: the national Word template filled in, saved portal pages, published PDFs and
text copies (`import-report`).

Each reader (`docx`, `html`, `pdf`, `text`) turns a file into a `Document`: paragraphs and grids in reading
order, each with where it was found. `understand` turns a Document into a `ReadReport` (unit, year, format,
parts, cells with their sources, confidence, problems); `importer` plans and stores it.
"""

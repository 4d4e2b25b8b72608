"""The research side: it reads the database that a run fills and never changes what is extracted.

    query   filters, SQL (read-only), regions, full-text search
    export  CSV, JSON Lines, Parquet
    chart   grouped bar charts and maps
    serve   Datasette over the database
    show    one document as HTML with its figures, dates and places marked
"""

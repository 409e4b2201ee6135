"""Other tools' formats, in and out: Postman collections and environments, OpenAPI documents,
cURL commands and Python httpx snippets. Each importer returns `app.transfer.Imported` items (saved
by `app.transfer.import_items`, all or nothing) and a `Report` of what it could not map."""

"""Use cases over the ORM. Services add and flush; the calling view or command commits once."""

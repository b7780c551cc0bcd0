"""The parts every app's API router is built from: shared schemas, pagination, and the
web forms read as the validation of a request."""
